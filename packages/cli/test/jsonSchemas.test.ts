/**
 * The CLI as a scripting target (docs/scripting.md): every line a `--json` command prints —
 * events, the analysis document, errors — is checked against the JSON Schema files the package
 * ships (packages/cli/schemas), with ajv, on the real output of the built binary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { JSON_SCHEMA_VERSION } from '../src/jsonEvent';
import { run, tmp, writeConfig } from './cliHarness';

const schemaDir = path.resolve(__dirname, '../schemas');
const schemaFiles = fs.readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const f of schemaFiles) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8')) as object);
const validator = (name: string): ValidateFunction => ajv.getSchema(`urn:grokscope:cli:${name}`)!;

/** Each stdout line parsed and validated; the failures are listed by line, so a drift says where. */
function expectValidLines(stdout: string, schema: string): Record<string, unknown>[] {
  const validate = validator(schema);
  const lines = stdout.trim().split('\n');
  const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const bad = events.flatMap((e, i) =>
    validate(e) ? [] : [`line ${i + 1} (${String(e['event'])}): ${ajv.errorsText(validate.errors)}`],
  );
  expect(bad).toEqual([]);
  return events;
}

test('the package ships one schema per --json output, each stating this schemaVersion', () => {
  expect(schemaFiles.sort()).toEqual([
    'analyze.schema.json',
    'error-event.schema.json',
    'export-event.schema.json',
    'forecast-event.schema.json',
    'sweep-event.schema.json',
    'train-event.schema.json',
  ]);
  for (const f of schemaFiles) {
    const text = fs.readFileSync(path.join(schemaDir, f), 'utf8');
    const versions = [...text.matchAll(/"schemaVersion": \{ "const": (\d+) \}/g)].map((m) => Number(m[1]));
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions)).toEqual(new Set([JSON_SCHEMA_VERSION]));
  }
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as {
    files: string[];
    exports: Record<string, string>;
  };
  expect(pkg.files).toContain('schemas');
  expect(pkg.exports['./schemas/*']).toBe('./schemas/*');
});

test('the schemas are not vacuous: events missing schemaVersion or a required field, or of an unknown kind, fail', () => {
  const train = validator('train-event');
  expect(train({ event: 'checkpoint', schemaVersion: JSON_SCHEMA_VERSION, step: 10, path: '/x' })).toBe(true);
  expect(train({ event: 'checkpoint', step: 10, path: '/x' })).toBe(false);
  expect(train({ event: 'checkpoint', schemaVersion: JSON_SCHEMA_VERSION + 1, step: 10, path: '/x' })).toBe(false);
  expect(train({ event: 'checkpoint', schemaVersion: JSON_SCHEMA_VERSION, step: 10 })).toBe(false);
  expect(train({ event: 'checkpointed', schemaVersion: JSON_SCHEMA_VERSION, step: 10, path: '/x' })).toBe(false);
  expect(
    validator('error-event')({
      event: 'error',
      schemaVersion: JSON_SCHEMA_VERSION,
      kind: 'config',
      message: 'x',
      exitCode: 3,
    }),
  ).toBe(false);
});

describe('real --json output validates', () => {
  const dir = tmp();
  const cfg = writeConfig(dir, { train: { steps: 40, evalEvery: 10 } });
  const runDir = path.join(dir, 'runs', 'a');

  test('train: a run, the same run again (already finished), and config errors', () => {
    const r = run(['train', '--config', cfg, '--out', runDir, '--json']);
    expect(r.status).toBe(0);
    const events = expectValidLines(r.stdout, 'train-event');
    expect(new Set(events.map((e) => e['event']))).toEqual(new Set(['step', 'evaluation', 'checkpoint', 'done']));
    expect(events.at(-1)).toMatchObject({ event: 'done', status: 'completed', step: 40, dir: runDir });

    const again = run(['train', '--config', cfg, '--out', runDir, '--json']);
    expect(again.status).toBe(0);
    expect(expectValidLines(again.stdout, 'train-event')).toEqual([
      expect.objectContaining({ event: 'done', alreadyFinished: true, step: 40 }),
    ]);

    // A config error, an option commander rejects, a run of another config in --out: one error event each, nothing else.
    const fresh = path.join(dir, 'runs', 'never');
    const cases: [string[], object][] = [
      [
        ['--out', fresh, '--set', 'task.modulus=12'],
        { kind: 'config', field: 'task.modulus', code: 'E_CONFIG', exitCode: 2 },
      ],
      [['--out', fresh, '--stepz', '3'], { kind: 'usage', exitCode: 2 }],
      [['--out', runDir, '--set', 'seed=5'], { kind: 'usage', code: 'E_RUN_EXISTS', exitCode: 2 }],
    ];
    for (const [args, expected] of cases) {
      const e = run(['train', '--config', cfg, ...args, '--json']);
      expect(e.status).toBe(2);
      const [only, ...rest] = expectValidLines(e.stdout, 'train-event');
      expect(rest).toEqual([]);
      expect(only).toMatchObject({ event: 'error', ...expected });
      expect(e.stderr).toContain(String(only!['message']).split('\n')[0]); // the person watching sees the same message
    }
  });

  test('analyze: the document, and an error instead of it', () => {
    expect(run(['train', '--config', cfg, '--seed', '1', '--out', path.join(dir, 'runs', 'b'), '--quiet']).status).toBe(
      0,
    );
    const a = run(['analyze', path.join(dir, 'runs'), '--json']);
    expect(a.status).toBe(0);
    // One document per line, as every --json output: `| tail -1` gives the whole document.
    const [doc, ...more] = expectValidLines(a.stdout, 'analyze') as [Record<string, unknown>, ...unknown[]];
    expect(more).toEqual([]);
    expect(JSON.parse(a.stdout.trim().split('\n').at(-1)!)).toEqual(doc);
    const validate = validator('analyze');
    expect(validate(doc) ? '' : ajv.errorsText(validate.errors)).toBe('');
    expect(doc['schemaVersion']).toBe(JSON_SCHEMA_VERSION);
    expect((doc['runs'] as unknown[]).length).toBe(2);
    const missing = run(['analyze', path.join(dir, 'nothing-here'), '--json']);
    expect(missing.status).toBe(2);
    expect(expectValidLines(missing.stdout, 'analyze')).toEqual([
      expect.objectContaining({ event: 'error', kind: 'config' }),
    ]);
  });

  test('forecast: the law and one forecast per evaluation; a bad law is an error event', () => {
    const f = run(['forecast', runDir, '--law', '1000,1.5,100', '--threshold', '0.5', '--json']);
    expect(f.status).toBe(0);
    const events = expectValidLines(f.stdout, 'forecast-event');
    expect(events[0]).toMatchObject({ event: 'law', C1: 1000, gamma: 1.5, C2: 100, threshold: 0.5, from: 'given' });
    expect(events.slice(1).map((e) => e['step'])).toEqual([0, 10, 20, 30, 40]);
    const bad = run(['forecast', runDir, '--law', '1,2', '--json']);
    expect(bad.status).toBe(2);
    expect(expectValidLines(bad.stdout, 'forecast-event')).toEqual([
      expect.objectContaining({ event: 'error', field: '--law' }),
    ]);
  });

  test('export: one event per run; an error event when there is none', () => {
    const e = run([
      'export',
      path.join(dir, 'runs'),
      '--format',
      'tensorboard',
      '--out',
      path.join(dir, 'tb'),
      '--json',
    ]);
    expect(e.status).toBe(0);
    expect(expectValidLines(e.stdout, 'export-event').map((x) => x['name'])).toEqual(['a', 'b']);
    const none = run([
      'export',
      path.join(dir, 'nothing-here'),
      '--format',
      'csv',
      '--out',
      path.join(dir, 'csv'),
      '--json',
    ]);
    expect(none.status).toBe(2);
    expect(expectValidLines(none.stdout, 'export-event')).toEqual([
      expect.objectContaining({ event: 'error', field: 'DIR' }),
    ]);
  });

  test('sweep: start, run, progress and done (a failed run included); --emit; an error before it starts', () => {
    const file = path.join(dir, 'lr.yaml');
    fs.writeFileSync(
      file,
      `base:\n  task: { kind: cyclic, modulus: 11, trainFraction: 0.5 }\n  model: { kind: transformer, dModel: 16, heads: 4, dMlp: 32 }\n  train: { steps: 20, evalEvery: 10 }\n  probes: [accuracy]\nout: out\ngrid:\n  optimizer.lr: [0.001, 1e30]\n`,
    );
    const s = run(['sweep', file, '--workers', '2', '--json']);
    expect(s.status).toBe(1);
    const events = expectValidLines(s.stdout, 'sweep-event');
    expect(events[0]).toMatchObject({
      event: 'start',
      runs: ['optimizer.lr=0.001', 'optimizer.lr=1e+30'],
      total: 2,
      shard: null,
      workers: 2,
    });
    expect(events.filter((e) => e['event'] === 'run' && e['status'] === 'started')).toHaveLength(2);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ event: 'done', exitCode: 1, interruptedBy: null });
    expect((done['runs'] as { name: string; status: string }[]).map((r) => [r.name, r.status])).toEqual([
      ['optimizer.lr=0.001', 'completed'],
      ['optimizer.lr=1e+30', 'failed'],
    ]);
    // Again: the finished run is skipped (its summary in the event), the failed one fails again.
    const again = expectValidLines(run(['sweep', file, '--workers', '1', '--json']).stdout, 'sweep-event');
    expect(again).toContainEqual(
      expect.objectContaining({
        event: 'run',
        name: 'optimizer.lr=0.001',
        status: 'skipped',
        summary: expect.objectContaining({ status: 'completed', steps: 20 }),
      }),
    );

    const emitted = run(['sweep', file, '--emit', 'slurm', '--shards', '2', '--json']);
    expect(emitted.status).toBe(0);
    expect(expectValidLines(emitted.stdout, 'sweep-event')).toEqual([
      {
        event: 'emitted',
        schemaVersion: JSON_SCHEMA_VERSION,
        scheduler: 'slurm',
        file: path.join(dir, 'lr.slurm.sh'),
        shards: 2,
        jobName: 'grokscope-lr',
        cpusPerTask: 1, // each shard holds one run
        workers: 1,
        memMiB: expect.any(Number),
        time: '24:00:00',
      },
    ]);

    const usage = run(['sweep', file, '--image', 'x', '--json']);
    expect(usage.status).toBe(2);
    expect(expectValidLines(usage.stdout, 'sweep-event')).toEqual([
      expect.objectContaining({ event: 'error', field: '--image' }),
    ]);
  });
});
