import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, ConfigError, useBackend } from '../src';

/** Pure-JS reference: C = op(A)·op(B) in float64. */
function matmulRef(a: number[][], b: number[][], ta: boolean, tb: boolean): number[][] {
  const A = ta ? a[0]!.map((_, j) => a.map((r) => r[j]!)) : a;
  const B = tb ? b[0]!.map((_, j) => b.map((r) => r[j]!)) : b;
  return A.map((row) => B[0]!.map((_, j) => row.reduce((s, x, k) => s + x * B[k]![j]!, 0)));
}

test('the tensorflow backend without tfjs-node is a named error saying what to install', async () => {
  const missing = (id: string) => {
    if (id.startsWith('@tensorflow/tfjs-node'))
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
    return require(id);
  };
  const err = await useBackend('tensorflow', missing).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BackendUnavailableError);
  expect((err as Error).message).toMatch(
    /needs @tensorflow\/tfjs-node-gpu or @tensorflow\/tfjs-node.*npm install @tensorflow\/tfjs-node@4\.22\.0.*--backend wasm/,
  );
  // And for real, in this environment, where neither is installed:
  await expect(useBackend('tensorflow')).rejects.toThrow(BackendUnavailableError);
  await expect(useBackend('gpu')).rejects.toThrow(
    new ConfigError('backend', 'unknown backend "gpu"; choose one of wasm, cpu, tensorflow'),
  );
});

describe('wasm kernel fixes', () => {
  beforeAll(async () => {
    expect(await useBackend('wasm')).toBe('wasm');
  });

  test('transposed BatchMatMul (2-D and batched) equals the reference product', () => {
    const a = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const b = [
      [7, 8],
      [9, 10],
      [11, 12],
    ];
    const at = a[0]!.map((_, j) => a.map((r) => r[j]!));
    const bt = b[0]!.map((_, j) => b.map((r) => r[j]!));
    const cases: [number[][], number[][], boolean, boolean][] = [
      [a, b, false, false],
      [at, b, true, false],
      [a, bt, false, true],
      [at, bt, true, true],
    ];
    for (const [x, y, ta, tb] of cases) {
      const got = tf.tidy(() => tf.matMul(tf.tensor2d(x), tf.tensor2d(y), ta, tb).arraySync());
      expect(got).toEqual(matmulRef(x, y, ta, tb));
    }
    const batched = tf.tidy(() => tf.matMul(tf.tensor3d([a, a]), tf.tensor3d([a, a]), false, true).arraySync());
    expect((batched as number[][][])[1]).toEqual(matmulRef(a, a, false, true));
  });

  test('the gradient of gather (UnsortedSegmentSum) sums rows per index', () => {
    const before = tf.memory().numTensors;
    const g = tf.tidy(() => {
      const table = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const f = (t: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.gather(t, tf.tensor1d([2, 0, 2, 2], 'int32')),
            tf.tensor2d([
              [1, 1],
              [2, 2],
              [3, 3],
              [4, 4],
            ]),
          ),
        );
      return tf.grad(f)(table).arraySync();
    });
    // Row 0 gathered once with weight 2; row 2 with weights 1 + 3 + 4 = 8; row 1 never.
    expect(g).toEqual([
      [2, 2],
      [0, 0],
      [8, 8],
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
