import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { RunStore, Rng, Trainer, useBackend, type Plugin } from '@grokscope/core';
import { Transformer } from '@grokscope/models';
import {
  accuracyProbe,
  builtinPlugins,
  entropyFloor,
  entropyFloorPenalty,
  fourierProbe,
  mixing,
  normMatched,
  normsProbe,
  spectralEntropy,
  spectralEntropyProbe,
} from '../src';
import { addTask, splitFirst } from './smallTask';

beforeAll(async () => {
  await useBackend('wasm');
});

const task = addTask(13);
const split = splitFirst(task, 100);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-probes-'));

function trainer(plugins: Plugin[], over: object = {}) {
  const model = new Transformer(task, { dModel: 16, heads: 4, dMlp: 32 }, 0);
  return new Trainer({
    task,
    split,
    model,
    steps: 60,
    evalEvery: 10,
    seed: 0,
    optimizer: { name: 'adamw', lr: 3e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
    plugins,
    ...over,
  });
}

test('the entropy-floor gradient matches central finite differences', () => {
  const n = 12,
    d = 6;
  // Anisotropic data (H̃ well below the floor) so the hinge is active.
  const base = new Rng(9).normalArray(n * d).map((x, i) => x * [3, 1, 0.5, 0.2, 0.1, 0.05][i % d]!);
  const L = (z: Float32Array) =>
    tf.tidy(() => entropyFloorPenalty(tf.tensor2d(z, [n, d]), 2, 0.95).penalty.dataSync()[0]!);
  expect(spectralEntropy(base, n, d).Hn).toBeLessThan(0.9);
  const analytic = tf.tidy(() =>
    tf
      .grad((z: tf.Tensor) => entropyFloorPenalty(z as tf.Tensor2D, 2, 0.95).penalty)(tf.tensor2d(base, [n, d]))
      .dataSync(),
  );
  const h = 1e-2;
  let worst = 0;
  for (let k = 0; k < n * d; k++) {
    const up = base.slice();
    up[k]! += h;
    const down = base.slice();
    down[k]! -= h;
    const numeric = (L(up) - L(down)) / (2 * h);
    if (Math.abs(numeric) < 1e-3) continue;
    worst = Math.max(worst, Math.abs(numeric - analytic[k]!) / Math.abs(numeric));
  }
  expect(worst).toBeLessThan(1e-2);
});

test('live tensor count stays flat with every probe and intervention on', async () => {
  const ref = path.join(tmp(), 'ref');
  await trainer([normsProbe()], { runDir: ref, steps: 20 }).run();
  const counts: number[] = [];
  const t = trainer([
    accuracyProbe(),
    spectralEntropyProbe(),
    spectralEntropyProbe({ tap: 'mlp_hidden', subset: 'train', tag: 'entropy-mlp' }),
    normsProbe(),
    fourierProbe(),
    entropyFloor(),
    mixing({ alpha: 0.2 }),
    normMatched({ reference: ref }),
  ]);
  t.events.on('evaluation', () => counts.push(tf.memory().numTensors));
  await t.run();
  expect(new Set(counts.slice(1)).size).toBe(1);
});

test('every probe writes its tags; two entropy instances side by side', async () => {
  const records: Record<string, number>[] = [];
  const t = trainer(
    [
      accuracyProbe(),
      spectralEntropyProbe(),
      spectralEntropyProbe({ tap: 'mlp_hidden', tag: 'entropy-mlp' }),
      normsProbe(),
      fourierProbe(),
    ],
    { steps: 10 },
  );
  t.events.on('evaluation', (r) => records.push({ ...r.metrics }));
  await t.run();
  const last = records[records.length - 1]!;
  for (const tag of [
    'accuracy/train',
    'accuracy/test',
    'loss/train',
    'loss/test',
    'entropy/H',
    'entropy/Hn',
    'entropy/effectiveRank',
    'entropy/participationRatio',
    'entropy/topShare',
    'entropy-mlp/Hn',
    'norm/weights',
    'norm/param/embed',
    'norm/repr',
    'fourier/alignment',
    'fourier/key1',
  ]) {
    expect([tag, typeof last[tag]]).toEqual([tag, 'number']);
  }
  expect(last['entropy/Hn']).not.toBe(last['entropy-mlp/Hn']);
  // norm/weights is the L2 norm of the per-parameter norms.
  const per = Object.entries(last)
    .filter(([k]) => k.startsWith('norm/param/'))
    .reduce((s, [, v]) => s + v * v, 0);
  expect(last['norm/weights']).toBeCloseTo(Math.sqrt(per), 4);
});

test('an unknown tap is a named error at setup', async () => {
  await expect(trainer([spectralEntropyProbe({ tap: 'nope' })]).run()).rejects.toThrow(
    /probes.spectral-entropy.tap: unknown tap "nope"; the transformer model offers embed/,
  );
  expect(() => builtinPlugins['entropy-floor']!({ floor: 2 })).not.toThrow(); // validated at setup:
  await expect(trainer([builtinPlugins['entropy-floor']!({ floor: 2 })]).run()).rejects.toThrow(
    /interventions.entropy-floor.floor: must be in \(0, 1\]/,
  );
});

test('entropy-floor holds the batch H̃ above the baseline; norm-matched follows the reference norm within 1e-3', async () => {
  const base = path.join(tmp(), 'base');
  const floor = path.join(tmp(), 'floor');
  const matched = path.join(tmp(), 'matched');
  const probes = () => [accuracyProbe(), spectralEntropyProbe({ subset: 'train' }), normsProbe()];
  await trainer(probes(), { runDir: base, steps: 200, evalEvery: 20 }).run();
  await trainer([...probes(), entropyFloor({ lambda: 10, floor: 0.95 })], {
    runDir: floor,
    steps: 200,
    evalEvery: 20,
  }).run();
  await trainer([...probes(), normMatched({ reference: floor })], { runDir: matched, steps: 200, evalEvery: 20 }).run();
  const read = (d: string) => new RunStore(d).readMetrics().records;
  const b = read(base),
    f = read(floor),
    m = read(matched);
  // While the regulariser is on, the train-set H̃ stays above the baseline's at every evaluation after the start.
  for (let i = 1; i < b.length; i++) expect(f[i]!.metrics['entropy/Hn']!).toBeGreaterThan(b[i]!.metrics['entropy/Hn']!);
  for (let i = 1; i < f.length; i++) {
    const rel =
      Math.abs(m[i]!.metrics['norm/weights']! - f[i]!.metrics['norm/weights']!) / f[i]!.metrics['norm/weights']!;
    expect(rel).toBeLessThan(1e-3);
  }
});

test("norm-matched given the reference run's records (a page that trained it) trains exactly as given its folder", async () => {
  const floor = path.join(tmp(), 'floor');
  const probes = () => [accuracyProbe(), normsProbe()];
  await trainer([...probes(), entropyFloor({ lambda: 10, floor: 0.95 })], { runDir: floor }).run();
  const read = (d: string) => new RunStore(d).readMetrics().records.map((r) => ({ step: r.step, metrics: r.metrics }));
  const fromDir = path.join(tmp(), 'from-dir');
  await trainer([...probes(), normMatched({ reference: floor })], { runDir: fromDir }).run();
  const fromRecords = path.join(tmp(), 'from-records');
  const records = new RunStore(floor).readMetrics().records;
  await trainer([...probes(), normMatched({ reference: records })], { runDir: fromRecords }).run();
  expect(read(fromRecords)).toEqual(read(fromDir));
  // Records without the norms probe's tag are refused, naming what is missing.
  const bare = records.map((r) => ({ ...r, metrics: {} }));
  await expect(trainer([normMatched({ reference: bare })]).run()).rejects.toThrow(/the reference run has no norm/);
});
