/**
 * Where `train` gets its config: the README's `--config` command exactly as printed (a partial
 * file over the default quick preset), and a run's manifest.json as --config (that run again).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../src/loadConfig';
import { DEFAULT_PRESET } from '../src/trainCommand';
import { metrics, run, tmp, writeConfig } from './cliHarness';

const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
const manifestConfig = (dir: string) =>
  (JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { config: Record<string, unknown> }).config;

test("the README's `train --config my.yaml` command works as printed, from the quick preset", () => {
  const line = readme.split('\n').find((l) => /^npx grokscope train --config my\.yaml\b/.test(l));
  expect(line).toBeDefined();
  const args = line!.replace(/#.*$/, '').trim().split(/\s+/).slice(2); // after `npx grokscope`
  expect(args).toEqual(['train', '--config', 'my.yaml', '--set', 'model.dModel=128', '--json']);
  const dir = tmp();
  // A user's my.yaml: only what differs from the preset (here, a short run).
  fs.writeFileSync(path.join(dir, 'my.yaml'), 'train: { steps: 20, evalEvery: 10 }\n');
  const r = run(args, dir);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const done = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { event: string; status: string; dir: string };
  expect(done).toMatchObject({ event: 'done', status: 'completed' });
  const config = manifestConfig(done.dir);
  expect(config).toMatchObject({
    task: { kind: 'cyclic', modulus: 97 },
    model: { kind: 'transformer', dModel: 128, dMlp: 256 },
    train: { steps: 20, evalEvery: 10 },
  });
  expect(config['name']).toBeUndefined(); // not "the quick preset": a run of the user's own
});

describe('the default preset under a config file', () => {
  const write = (text: string) => {
    const file = path.join(tmp(), 'c.yaml');
    fs.writeFileSync(file, text);
    return file;
  };

  test('fills in what the file leaves out, as --preset quick would, except the name', () => {
    const file = write('train: { steps: 30 }\nmodel: { dModel: 32 }\n');
    const { name, ...named } = loadConfig({ preset: DEFAULT_PRESET, file });
    expect(name).toBe(DEFAULT_PRESET);
    expect(loadConfig({ file, defaultPreset: DEFAULT_PRESET })).toEqual(named);
  });

  test('a file of another task or model kind keeps only its own fields', () => {
    const file = write('task: { kind: symmetric, n: 4 }\nmodel: { kind: mlp, hidden: [32] }\ntrain: { steps: 10 }\n');
    const c = loadConfig({ file, defaultPreset: DEFAULT_PRESET });
    expect(c.task).toEqual({ kind: 'symmetric', n: 4, trainFraction: 0.5, split: 'unordered' }); // the preset's split stays
    expect(c.model).toEqual({ kind: 'mlp', dEmbed: 128, hidden: [32] });
  });

  test('without a default preset a partial file is still an error naming the missing field', () => {
    expect(() => loadConfig({ file: write('train: { steps: 30 }\n') })).toThrow(/task: got nothing \(missing\)/);
  });
});

describe("a run's manifest.json as --config", () => {
  test('trains the same run again: the same config and the same metrics', () => {
    const dir = tmp();
    const first = path.join(dir, 'first');
    expect(
      run([
        'train',
        '--config',
        writeConfig(dir, { train: { steps: 30, evalEvery: 10 } }),
        '--seed',
        '4',
        '--out',
        first,
        '--quiet',
      ]).status,
    ).toBe(0);
    const again = path.join(dir, 'again');
    const r = run(['train', '--config', path.join(first, 'manifest.json'), '--out', again, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(manifestConfig(again)).toEqual(manifestConfig(first));
    expect(metrics(again)).toEqual(metrics(first));
    // Flags still apply on top of it.
    const longer = path.join(dir, 'longer');
    expect(
      run(['train', '--config', path.join(first, 'manifest.json'), '--steps', '40', '--out', longer, '--quiet']).status,
    ).toBe(0);
    expect(metrics(longer).slice(0, 4)).toEqual(metrics(first));
    expect(metrics(longer).map((m) => m.step)).toEqual([0, 10, 20, 30, 40]);
  });

  test('with --preset is an error: the manifest is the whole config', () => {
    const dir = tmp();
    const out = path.join(dir, 'first');
    expect(
      run(['train', '--config', writeConfig(dir, { train: { steps: 10, evalEvery: 10 } }), '--out', out, '--quiet'])
        .status,
    ).toBe(0);
    const r = run([
      'train',
      '--preset',
      'quick',
      '--config',
      path.join(out, 'manifest.json'),
      '--out',
      path.join(dir, 'x'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /--preset: .*manifest\.json is a run's manifest\.json, which holds that run's whole config; drop --preset/,
    );
  });
});
