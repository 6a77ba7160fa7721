/**
 * The Tile gradient core registers (src/backend/tileGradient.ts) against a hand-worked answer:
 * for y = tile(x, reps) and L = Σ y·w, ∂L/∂x[j] = Σ over repetitions of w at that copy of j —
 * summed here in float32 in tfjs-core's order (repetitions lexicographic, from zero), which the
 * wasm backend's sequential Sum reproduces bit for bit. And it runs a handful of kernels, not a
 * Slice and an Add per repetition.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@grokscope/base';
import { useBackend } from '../src';

beforeAll(async () => {
  await useBackend('wasm');
});

/** ∂(Σ tile(x, reps)·w)/∂x by the definition, adding in float32 in the loop's order. */
function expected(shape: number[], reps: number[], w: Float32Array): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const tiled = shape.map((s, i) => s * reps[i]!);
  const strides = tiled.map((_, i) => tiled.slice(i + 1).reduce((a, b) => a * b, 1));
  const repList: number[][] = [[]];
  for (const r of reps)
    repList.splice(0, repList.length, ...repList.flatMap((p) => Array.from({ length: r }, (_, k) => [...p, k])));
  for (let j = 0; j < size; j++) {
    const idx = shape.map((_, i) => Math.floor(j / shape.slice(i + 1).reduce((a, b) => a * b, 1)) % shape[i]!);
    let acc = 0;
    for (const rep of repList)
      acc = Math.fround(acc + w[idx.reduce((o, v, i) => o + (rep[i]! * shape[i]! + v) * strides[i]!, 0)]!);
    out[j] = acc;
  }
  return out;
}

const CASES: [number[], number[]][] = [
  [[3], [5]],
  [
    [1, 4],
    [7, 1],
  ],
  [
    [2, 3],
    [3, 2],
  ],
  [
    [2, 1, 3],
    [1, 4, 2],
  ],
  [
    [2, 2, 1, 2],
    [2, 1, 3, 2],
  ],
  [
    [1, 2, 1, 2, 1],
    [2, 1, 2, 1, 3],
  ], // rank 5: tfjs-core's loop had no case for it
];

test.each(CASES)(
  'tile %j by %j: the gradient is the sum over copies, bit for bit in the loop’s order',
  (shape, reps) => {
    const rng = new Rng(shape.length * 31 + reps[0]!);
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(
      Float32Array.from({ length: size }, () => rng.normal()),
      shape,
    );
    const wShape = shape.map((s, i) => s * reps[i]!);
    const w = Float32Array.from({ length: wShape.reduce((a, b) => a * b, 1) }, () => rng.normal() * 1e3);
    const wt = tf.tensor(w, wShape);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, reps), wt)))(x);
    const got = new Uint32Array(Float32Array.from(g.dataSync()).buffer);
    expect([...got]).toEqual([...new Uint32Array(expected(shape, reps, w).buffer)]);
    tf.dispose([x, wt, g]);
  },
);

test('broadcasting a row to 2,823 rows costs a few kernels in the backward pass, not 2,823 Slices', () => {
  const x = tf.ones([1, 8]);
  const before = tf.memory().numTensors;
  const info = tf.tidy(() => {
    let n = 0;
    const orig = tf.engine().runKernel.bind(tf.engine());
    const spy = jest.spyOn(tf.engine(), 'runKernel').mockImplementation((...a: Parameters<typeof orig>) => {
      n++;
      return orig(...a);
    });
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.broadcastTo(v, [2823, 8])))(x);
    spy.mockRestore();
    return { n, g: g.dataSync()[0] };
  });
  expect(info.g).toBe(2823);
  expect(info.n).toBeLessThan(12);
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
});
