import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { quadraticFormTask } from '../src';

// The CLI as a user runs it (built: `npx tsc -b` at the repository root first).
const bin = path.join(path.dirname(require.resolve('@grokscope/cli/package.json')), 'dist', 'bin.js');
const here = path.resolve(__dirname, '..');
const cli = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: here, timeout: 240000 });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-task-'));
  dirs.push(d);
  return d;
};
const records = (dir: string) =>
  fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; metrics: Record<string, number> });

test('labels match x²+xy+y² mod p worked by hand, over every ordered pair', () => {
  const t = quadraticFormTask({ modulus: 7 });
  const label = (x: number, y: number) => t.examples.label[x * 7 + y];
  // 2∘3 = 4+6+9 = 19 ≡ 5; 6∘6 = 108 ≡ 3; 0∘4 = 16 ≡ 2 (no identity: 0∘y = y²); 1∘2 = 1+2+4 = 7 ≡ 0.
  expect([label(2, 3), label(6, 6), label(0, 4), label(1, 2)]).toEqual([5, 3, 2, 0]);
  expect(t.examples.label).toHaveLength(49);
  for (let x = 0; x < 7; x++) for (let y = 0; y < 7; y++) expect(label(x, y)).toBe(label(y, x));
  expect(t.vocabSize).toBe(8);
  expect(t.equalsToken).toBe(7);
});

test('an option it cannot use is a ConfigError naming task.options.<field>', () => {
  expect(() => quadraticFormTask({ modulus: 2 })).toThrow(/task\.options\.modulus: must be an integer ≥ 3, got 2/);
  expect(() => quadraticFormTask({ modulos: 7 })).toThrow(/task\.options\.modulos: unknown option/);
});

test('the CLI trains it from a config file: no core or CLI change was needed', () => {
  const out = path.join(tmp(), 'run');
  const r = cli(['train', '--config', 'grokscope.json', '--out', out, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const recs = records(out);
  expect(recs.map((x) => x.step)).toEqual([0, 20, 40]);
  // The accuracy and Fourier probes measured this task: 25 of 49 pairs train, 24 test.
  for (const rec of recs) {
    expect(rec.metrics['accuracy/test']! * 24).toBeCloseTo(Math.round(rec.metrics['accuracy/test']! * 24), 6);
    expect(rec.metrics['fourier/alignment']).toBeGreaterThanOrEqual(0);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
    config: { task: Record<string, unknown> };
  };
  expect(manifest.config.task).toEqual({
    module: path.join(here, 'dist/index.js'),
    options: { modulus: 7 },
    trainFraction: 0.5,
    split: 'ordered',
  });
});

test('a sweep varies its options like any config field', () => {
  const out = tmp();
  const r = cli(['sweep', 'sweep.yaml', '--out', out, '--quiet']);
  expect(r.status).toBe(0);
  const runs = fs
    .readdirSync(out)
    .filter((d) => fs.existsSync(path.join(out, d, 'summary.json')))
    .sort();
  expect(runs).toEqual([
    'task.options.modulus=5,seed=0',
    'task.options.modulus=5,seed=1',
    'task.options.modulus=7,seed=0',
    'task.options.modulus=7,seed=1',
  ]);
  for (const [name, p] of [
    ['task.options.modulus=5,seed=1', 5],
    ['task.options.modulus=7,seed=0', 7],
  ] as const) {
    const m = JSON.parse(fs.readFileSync(path.join(out, name, 'manifest.json'), 'utf8')) as {
      config: { task: { options: { modulus: number } } };
    };
    expect(m.config.task.options.modulus).toBe(p);
    // The split covers exactly the p² pairs of that modulus: p² · (1/2) train examples, rounded.
    const accTrain = records(path.join(out, name))[0]!.metrics['accuracy/train']!;
    const trainPairs = Math.round((p * p) / 2);
    expect(accTrain * trainPairs).toBeCloseTo(Math.round(accTrain * trainPairs), 6);
  }
});
