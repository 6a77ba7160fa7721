/**
 * A run written by another trainer (docs/run-format.md): the PyTorch example trains a+b mod 23
 * through python/grokscope_writer.py while the dashboard watches, then grokscope analyses,
 * exports and forecasts it. H̃ written by Python must equal grokscope's spectral entropy of the
 * same matrix, and every file must validate against the published JSON Schemas.
 *
 * Needs Debian's python3-torch (`apt-get install python3-torch`; /usr/bin/python3). `.ci/run`
 * installs it and sets GROKSCOPE_TORCH_TEST=1, which makes a missing PyTorch a failure; elsewhere
 * the test is skipped when PyTorch is absent.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { runJsonSchemas } from '@grokscope/base';
import { spectralEntropy } from '@grokscope/probes';
import { bin, run, tmp, writeConfig } from './cliHarness';

const python = '/usr/bin/python3';
const root = path.resolve(__dirname, '../../..');
const example = path.join(root, 'python', 'examples', 'train_modular_addition.py');
const hasTorch = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' }).status === 0;
const required = process.env['GROKSCOPE_TORCH_TEST'] === '1';

test('PyTorch is there when CI asks for it', () => {
  if (required) expect({ python, hasTorch }).toEqual({ python, hasTorch: true });
});

/** Validates a run directory's three files against the published JSON Schemas. */
function expectValidRun(dir: string, records: number): void {
  const ajv = new Ajv2020({ strict: false });
  const schemas = runJsonSchemas();
  const check = (file: keyof typeof schemas, data: unknown) => {
    const validate = ajv.getSchema(schemas[file]['$id'] as string) ?? ajv.compile(schemas[file]);
    expect({ file, valid: validate(data), errors: validate.errors ?? null }).toEqual({
      file,
      valid: true,
      errors: null,
    });
  };
  check('manifest.schema.json', JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
  const lines = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  expect(lines).toHaveLength(records);
  for (const line of lines) check('metrics-record.schema.json', JSON.parse(line));
  check('summary.schema.json', JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')));
}

test("a run grokscope's trainer writes validates against the published JSON Schemas, and names its format and trainer", () => {
  const dir = tmp();
  const out = path.join(dir, 'run');
  expect(
    run(['train', '--config', writeConfig(dir, { train: { steps: 30, evalEvery: 10 } }), '--out', out, '--quiet'])
      .status,
  ).toBe(0);
  expectValidRun(out, 4);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest).toMatchObject({
    format: 'grokscope-run/1',
    trainer: { name: 'grokscope', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
  });
});

/** A little-endian float64 C-order .npy file (what numpy.save writes for a float64 matrix). */
function readNpy(file: string): { data: Float64Array; rows: number; cols: number } {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
  const major = buf[6]!;
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.subarray(start, start + headerLength).toString('latin1');
  expect(header).toMatch(/'descr': '<f8'/);
  expect(header).toMatch(/'fortran_order': False/);
  const [, rows, cols] = /'shape': \((\d+), (\d+)\)/.exec(header)!;
  const offset = start + headerLength;
  const data = new Float64Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + buf.length));
  return { data, rows: Number(rows), cols: Number(cols) };
}

async function startDashboard(dir: string): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [bin, 'dashboard', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.setEncoding('utf8');
    server.stdout!.on('data', (c: string) => {
      out += c;
      const m = /grokscope dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.on('exit', (code) => reject(new Error(`dashboard exited ${code}: ${out}`)));
  });
  return { server, url };
}

type Row = { path: string; status: string; step: number | null };
const rows = async (url: string) => ((await (await fetch(`${url}api/runs`)).json()) as { runs: Row[] }).runs;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

(hasTorch ? describe : describe.skip)('a run written by the PyTorch writer', () => {
  const dir = tmp();
  const out = path.join(dir, 'torch-0');
  const reprFile = path.join(dir, 'repr.npy');
  let dashboard: { server: ChildProcess; url: string } | undefined;
  const seen: string[] = [];
  let following: { code: number | null; steps: number[]; text: string } | undefined;

  beforeAll(async () => {
    dashboard = await startDashboard(dir);
    const args = [
      example,
      '--out',
      out,
      '--modulus',
      '23',
      '--steps',
      '400',
      '--eval-every',
      '50',
      '--dump-repr',
      reprFile,
    ];
    const trainer = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    trainer.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => trainer.on('exit', resolve));
    // While it trains, the dashboard lists it as running (its lock names a live process)…
    const url = dashboard.url;
    seen.push(
      await until(
        'the run listed as running',
        async () => (await rows(url)).find((r) => r.path === 'torch-0' && r.status === 'running')?.status,
        60_000,
      ),
    );
    // …and forecast --follow follows it, as it follows grokscope's runs, until the run ends.
    const follow = spawn(
      process.execPath,
      [bin, 'forecast', out, '--follow', '--law', '1000,1.5,100', '--threshold', '0.3'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let followed = '';
    follow.stdout!.on('data', (c: Buffer) => (followed += c.toString()));
    follow.stderr!.on('data', (c: Buffer) => (followed += c.toString()));
    const followEnd = new Promise<number | null>((resolve) => follow.on('exit', resolve));
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
    const timer = setTimeout(() => follow.kill('SIGKILL'), 30_000);
    following = {
      code: await followEnd,
      steps: [...followed.matchAll(/^step (\d+) /gm)].map((m) => Number(m[1])),
      text: followed,
    };
    clearTimeout(timer);
    // …and once it ends, as completed.
    seen.push(
      await until(
        'the run listed as completed',
        async () => (await rows(url)).find((r) => r.path === 'torch-0' && r.status === 'completed')?.status,
        10_000,
      ),
    );
  }, 240_000);

  afterAll(() => dashboard?.server.kill('SIGINT'));

  test('the dashboard showed it running while it trained, then completed', () => {
    expect(seen).toEqual(['running', 'completed']);
    expect(fs.existsSync(path.join(out, '.grokscope.lock'))).toBe(false);
  });

  test('forecast --follow followed it while it trained, one forecast per evaluation, and ended with the run', () => {
    expect(following).toMatchObject({ code: 0, steps: [0, 50, 100, 150, 200, 250, 300, 350, 400] });
  });

  test('every file validates against the published JSON Schemas', () => expectValidRun(out, 9));

  test("H̃ written by Python equals grokscope's spectral entropy of the same matrix to 1e-5", () => {
    const { data, rows: n, cols: d } = readNpy(reprFile);
    expect([n, d]).toEqual([23 * 23, 64]);
    const last = JSON.parse(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1)!) as {
      metrics: Record<string, number>;
    };
    const ours = spectralEntropy(data, n, d).Hn;
    expect(Math.abs(last.metrics['entropy/Hn']! - ours)).toBeLessThan(1e-5);
    expect(ours).toBeGreaterThan(0.05); // a real spectrum, not a degenerate one
  });

  test('analyze --json reads it: its events are those the writer recorded', () => {
    const r = run(['analyze', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      conditions: { condition: string; n: number }[];
      runs: { name: string; tMem: number | null; tGrok: number | null }[];
    };
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
      events: { memorised: number | null; grokked: number | null };
    };
    expect(doc.conditions).toEqual([expect.objectContaining({ condition: 'baseline', n: 1 })]);
    expect(doc.runs).toEqual([
      expect.objectContaining({ name: 'torch-0', tMem: summary.events.memorised, tGrok: summary.events.grokked }),
    ]);
    expect(summary.events.memorised).not.toBeNull();
  });

  test('export and forecast read it', () => {
    const csv = path.join(dir, 'csv');
    expect(run(['export', out, '--format', 'csv', '--out', csv]).status).toBe(0);
    const table = fs.readFileSync(path.join(csv, 'torch-0.csv'), 'utf8').trim().split('\n');
    expect(table[0]).toMatch(/^step,/);
    expect(table).toHaveLength(10);
    const f = run(['forecast', out, '--law', '1000,1.5,100', '--threshold', '0.3']);
    expect(f.status).toBe(0);
    expect(f.stdout).toMatch(/^law: ΔT = 1000\.0/);
    expect(f.stdout).toMatch(/step 400 {2}H̃ 0\.\d{4}/);
  });

  test('train into it is refused by name: grokscope cannot resume another trainer’s run', () => {
    const r = run(['train', '--preset', 'quick', '--out', out, '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /torch-0 was trained by grokscope-writer-example 1, not by grokscope, so grokscope cannot resume or continue it/,
    );
  });
});
