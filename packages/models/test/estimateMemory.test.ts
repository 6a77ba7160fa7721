/**
 * The memory estimate a config is checked against before anything is allocated: by hand for small configs, and against what tfjs really allocates (tf.profile) for
 * one training step and one forward over all pairs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Trainer, useBackend, type Task } from '@grokscope/core';
import {
  createModel,
  estimateMemory as estimateOf,
  type MemorySizes,
  modelMemory,
  type ModelConfigInput,
  type ModelShape,
  parameterCount,
} from '../src';

type ModelSpec = ModelConfigInput;
/** The estimate for a model config: its kind's memory, put through estimateMemory. */
const estimateMemory = (shape: ModelShape, spec: ModelSpec, sizes: MemorySizes) =>
  estimateOf(shape, modelMemory(shape, spec)!, sizes);

beforeAll(async () => {
  await useBackend('wasm');
});

test('a small transformer, by hand', () => {
  // Z/11Z: vocabulary 12 (11 elements + `=`), 11 classes, 121 pairs, 61 in the train split.
  const shape = { vocabSize: 12, numClasses: 11, equalsToken: 11 };
  const spec: ModelSpec = { kind: 'transformer', dModel: 16, heads: 4, dMlp: 32 };
  // embed 12·16 + pos 3·16 + q,k,v,o 4·16² + mlp 16·32 + 32 + 32·16 + 16 + unembed 16·11
  const params = 192 + 48 + 1024 + 512 + 32 + 512 + 16 + 176;
  expect(parameterCount(shape, spec)).toBe(params); // = 2512
  const e = estimateMemory(shape, spec, { pairs: 121, trainPairs: 61 });
  // Resident: θ, gradient and two AdamW moments (4 × 2512 floats); one-hot labels 61 × 11; a, b, labels 3 × 61.
  const resident = 4 * (4 * params) + 4 * 61 * 11 + 4 * 3 * 61;
  // One full-batch step, per row: 21 × classes + 35 × d_model + 6 × d_mlp + 30 × heads + 40.
  const train = 4 * 61 * (21 * 11 + 35 * 16 + 6 * 32 + 30 * 4 + 40);
  // One evaluation over all 121 pairs, per row: 3 × classes + 16 × d_model + 3 × d_mlp + 15 × heads.
  const evaluation = 4 * 121 * (3 * 11 + 16 * 16 + 3 * 32 + 15 * 4);
  expect(e).toMatchObject({
    resident,
    prepare: 4 * 61 * 11,
    train,
    eval: evaluation,
    peakPhase: 'train',
    bytes: resident + train,
    parameters: params,
  });
  expect(e.bytes).toBe(322500);
  // The widest tensor: the evaluation's MLP hidden layer, 121 × 32.
  expect(e.largestTensor).toEqual({ what: 'MLP hidden [rows, d_mlp]', elements: 121 * 32, bytes: 4 * 121 * 32 });
  for (const t of e.terms) expect(t.bytes).toBe(t.count * t.rows * t.width * 4);
});

test('a small MLP with a minibatch, by hand', () => {
  const shape = { vocabSize: 12, numClasses: 11, equalsToken: 11 };
  const spec: ModelSpec = { kind: 'mlp', dEmbed: 8, hidden: [32, 16] };
  const params = 12 * 8 + (16 * 32 + 32) + (32 * 16 + 16) + (16 * 11 + 11); // 1355
  expect(parameterCount(shape, spec)).toBe(params);
  const e = estimateMemory(shape, spec, { pairs: 121, trainPairs: 61, batchSize: 10 });
  // A step over 10 rows: gathered a, b, labels and mask (11 + 3 wide), then 24 × classes, 10 × d_embed, 6 × each hidden width.
  const train = 4 * 10 * (11 + 3) + 4 * 10 * (24 * 11 + 10 * 8 + 6 * 32 + 6 * 16);
  const evaluation = 4 * 121 * (4 * 11 + 4 * 8 + 3 * 32 + 3 * 16);
  expect(e).toMatchObject({ train, eval: evaluation, peakPhase: 'eval', bytes: e.resident + evaluation });
  // A batch at least as large as the split is the full batch.
  expect(estimateMemory(shape, spec, { pairs: 121, trainPairs: 61, batchSize: 61 }).train).toBe(
    4 * 61 * (24 * 11 + 10 * 8 + 6 * 32 + 6 * 16),
  );
});

test('the large tensors scale as pairs × width: Z/4999Z needs terabytes, on the train split and on all pairs', () => {
  const p = 4999;
  const e = estimateMemory(
    { vocabSize: p + 1, numClasses: p, equalsToken: p },
    { kind: 'transformer' },
    { pairs: p * p, trainPairs: Math.round(0.3 * p * p) },
  );
  expect(e.bytes).toBeGreaterThan(3e12);
  expect(e.largestTensor.elements).toBe(p * p * p); // [all pairs, classes] in the evaluation
  // Each term is its own product; doubling the pairs doubles the evaluation.
  const twice = estimateMemory(
    { vocabSize: p + 1, numClasses: p, equalsToken: p },
    { kind: 'transformer' },
    { pairs: 2 * p * p, trainPairs: Math.round(0.3 * p * p) },
  );
  expect(twice.eval).toBe(2 * e.eval);
});

/** Z/pZ addition as a hand-built Task (models may not depend on the tasks package). */
function cyclicTask(p: number): Task {
  const a: number[] = [];
  const b: number[] = [];
  const label: number[] = [];
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      a.push(i);
      b.push(j);
      label.push((i + j) % p);
    }
  return {
    name: `mod${p}`,
    order: p,
    abelian: true,
    elementLabels: Array.from({ length: p }, (_, i) => String(i)),
    vocabSize: p + 1,
    equalsToken: p,
    numClasses: p,
    examples: { a: Int32Array.from(a), b: Int32Array.from(b), label: Int32Array.from(label) },
  };
}

describe.each<[string, ModelSpec]>([
  ['factorised transformer', { kind: 'transformer', dModel: 32, heads: 4, dMlp: 64 }],
  [
    '2-layer transformer with LayerNorm',
    { kind: 'transformer', dModel: 32, heads: 4, dMlp: 64, layers: 2, layerNorm: true },
  ],
  ['MLP', { kind: 'mlp', dEmbed: 32, hidden: [64] }],
])('%s: the estimate covers what tfjs allocates', (_name, spec) => {
  const p = 31;
  const task = cyclicTask(p);
  const n = p * p;
  const train = Int32Array.from({ length: Math.round(0.5 * n) }, (_, i) => 2 * i).filter((i) => i < n);
  const split = { train, test: Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 2 === 1) };
  const estimate = estimateMemory(task, spec, { pairs: n, trainPairs: train.length });

  test('one full-batch training step (tf.profile peak) is within the estimate, and not far below it', async () => {
    const model = createModel(task, spec, 0);
    const trainer = new Trainer({ task, split, model, steps: 1, evalEvery: 1, seed: 0 });
    const before = tf.memory().numBytes;
    const info = await tf.profile(async () => {
      await trainer.run();
    });
    trainer.dispose();
    model.dispose();
    const measured = info.peakBytes - before + 4 * parameterCount(task, spec); // the parameters existed before the profile
    expect(estimate.resident + estimate.train).toBeGreaterThanOrEqual(measured);
    expect(estimate.resident + estimate.train).toBeLessThan(1.15 * measured);
  });

  test('one forward over all pairs, with the entropy probe tap, is within the estimate', async () => {
    const model = createModel(task, spec, 0);
    const info = await tf.profile(() => {
      tf.tidy(() => {
        const out = model.forward(
          { a: tf.tensor1d(task.examples.a, 'int32'), b: tf.tensor1d(task.examples.b, 'int32') },
          { taps: new Set(['resid_final']), transforms: new Map() },
        );
        // What the accuracy probe adds: the train and test rows of the logits.
        tf.gather(out.logits, tf.tensor1d(split.train, 'int32'));
        tf.gather(out.logits, tf.tensor1d(split.test, 'int32'));
      });
    });
    model.dispose();
    expect(estimate.eval).toBeGreaterThanOrEqual(info.peakBytes - 4 * parameterCount(task, spec));
    expect(estimate.eval).toBeLessThan(1.3 * info.peakBytes);
  });
});
