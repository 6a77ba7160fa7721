/**
 * The wasm backend's replaced data-movement kernels (src/backend/wasmCopyKernels.ts) against
 * answers built by hand from nested arrays: gather on any axis and index shape, stack/unstack
 * on every axis, split by sizes, concat on every axis, and == with every broadcasting pattern a step can produce.
 */
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src';

beforeAll(async () => {
  await useBackend('wasm');
});

/** The tensors `f` makes, read as nested arrays after tidy (tidy would walk returned arrays). */
function read(f: () => tf.Tensor | tf.Tensor[]): unknown {
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const values = list.map((t) => t.arraySync());
  tf.dispose(list);
  return Array.isArray(out) ? values : values[0];
}

type N = number | N[];
/** x[i0][i1]… for a nested array. */
const at = (x: N, idx: number[]): number => idx.reduce<N>((v, i) => (v as N[])[i]!, x) as number;
/** A nested array of `shape` whose element at index i is f(i). */
function build(shape: number[], f: (idx: number[]) => number, prefix: number[] = []): N {
  if (shape.length === 0) return f(prefix);
  return Array.from({ length: shape[0]! }, (_, i) => build(shape.slice(1), f, [...prefix, i]));
}
const values = (shape: number[]) =>
  build(shape, (idx) => idx.reduce((s, i, k) => s + (i + 1) * 10 ** (shape.length - 1 - k), 0) + 0.5);

test('gather copies the indexed slices on any axis, for index tensors of any rank', () => {
  const shape = [2, 3, 2];
  const x = values(shape);
  const xt = tf.tensor(x as number[][][]);
  const idx = [2, 0, 2, 1];
  for (const axis of [0, 1, 2]) {
    const ok = idx.filter((i) => i < shape[axis]!);
    const got = read(() => tf.gather(xt, tf.tensor1d(ok, 'int32'), axis));
    const outShape = shape.map((d, k) => (k === axis ? ok.length : d));
    expect(got).toEqual(
      build(outShape, (i) =>
        at(
          x,
          i.map((v, k) => (k === axis ? ok[v]! : v)),
        ),
      ),
    );
  }
  // A [2, 2] index tensor on axis 1: out[a][i][j][c] = x[a][idx[i][j]][c].
  const idx2 = [
    [1, 2],
    [0, 1],
  ];
  expect(read(() => tf.gather(xt, tf.tensor2d(idx2, [2, 2], 'int32'), 1))).toEqual(
    build([2, 2, 2, 2], ([a, i, j, c]) => at(x, [a!, idx2[i!]![j!]!, c!])),
  );
  // int32 values are copied as they are.
  expect(read(() => tf.gather(tf.tensor1d([7, -3, 9], 'int32'), tf.tensor1d([2, 2, 0], 'int32')))).toEqual([9, 9, 7]);
  expect(() => tf.tidy(() => tf.gather(xt, tf.tensor1d([3], 'int32'), 1))).toThrow(
    'GatherV2: the index value 3 is not in [0, 2]',
  );
  xt.dispose();
});

test('stack, unstack and split by sizes move every element to its place', () => {
  const shape = [2, 3];
  const parts = [0, 1, 2].map((p) => build(shape, ([i, j]) => 100 * p + 10 * i! + j!) as number[][]);
  for (const axis of [0, 1, 2]) {
    const got = read(() =>
      tf.stack(
        parts.map((p) => tf.tensor2d(p)),
        axis,
      ),
    );
    const outShape = [...shape.slice(0, axis), 3, ...shape.slice(axis)];
    expect(got).toEqual(
      build(outShape, (idx) =>
        at(
          parts[idx[axis]!]!,
          idx.filter((_, k) => k !== axis),
        ),
      ),
    );
  }
  const x = values([2, 3, 4]);
  for (const axis of [0, 1, 2]) {
    const got = read(() => tf.unstack(tf.tensor(x as number[][][]), axis));
    const dims = [2, 3, 4];
    expect(got).toEqual(
      Array.from({ length: dims[axis]! }, (_, p) =>
        build(
          dims.filter((_, k) => k !== axis),
          (idx) => at(x, [...idx.slice(0, axis), p, ...idx.slice(axis)]),
        ),
      ),
    );
  }
  const y = values([2, 6]);
  const sizes = [1, 2, 3];
  const pieces = read(() => tf.split(tf.tensor(y as number[][]), sizes, 1)) as number[][][];
  let start = 0;
  for (const [k, size] of sizes.entries()) {
    expect(pieces[k]).toEqual(build([2, size], ([i, j]) => at(y, [i!, start + j!])));
    start += size;
  }
  // An even split: three [2, 2] pieces.
  const even = read(() => tf.split(tf.tensor(y as number[][]), 3, 1));
  expect(even).toEqual([0, 1, 2].map((k) => build([2, 2], ([i, j]) => at(y, [i!, 2 * k + j!]))));
});

test('concat joins along any axis, inputs of unequal widths, skipping empty ones', () => {
  // Widths 1, 3 and 2 along the joined axis: x_p has p's own pattern, so a misplaced element shows.
  const widths = [1, 3, 2];
  for (const axis of [0, 1, 2]) {
    const shapes = widths.map((w) => [2, 3, 4].map((d, k) => (k === axis ? w : d)));
    const parts = shapes.map((s, p) => build(s, (idx) => at(values(s), idx) + 1000 * p));
    const got = read(() =>
      tf.concat(
        parts.map((p, k) => tf.tensor(p as number[][][], shapes[k])),
        axis,
      ),
    );
    const outShape = [2, 3, 4].map((d, k) => (k === axis ? 6 : d));
    const starts = [0, 1, 4];
    expect(got).toEqual(
      build(outShape, (idx) => {
        const p = idx[axis]! >= starts[2]! ? 2 : idx[axis]! >= starts[1]! ? 1 : 0;
        return at(
          parts[p]!,
          idx.map((v, k) => (k === axis ? v - starts[p]! : v)),
        ) as number;
      }),
    );
  }
  // An empty input is skipped; int32 is copied as it is; a single remaining input is returned whole.
  expect(read(() => tf.concat([tf.zeros([2, 0]), tf.tensor2d([[1.5], [2.5]]), tf.tensor2d([[3], [4]])], 1))).toEqual([
    [1.5, 3],
    [2.5, 4],
  ]);
  expect(read(() => tf.concat([tf.tensor1d([7, -3], 'int32'), tf.tensor1d([9], 'int32')]))).toEqual([7, -3, 9]);
  expect(read(() => tf.concat([tf.zeros([0, 2]), tf.tensor2d([[1, 2]])], 0))).toEqual([[1, 2]]);
});

test('concat of empty inputs only gives the empty result of their shape and dtype', () => {
  const out = tf.concat([tf.zeros([0, 3], 'int32'), tf.zeros([0, 3], 'int32')], 0);
  expect([out.shape, out.dtype, out.size]).toEqual([[0, 3], 'int32', 0]);
  out.dispose();
});

test('== broadcasts like numpy: columns, rows, leading axes and scalars', () => {
  const cases: [number[], number[]][] = [
    [
      [3, 4],
      [3, 1],
    ],
    [[3, 4], [4]],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [[5], []],
  ];
  for (const [sa, sb] of cases) {
    // Small integers so that many pairs are equal.
    const a = build(sa, (idx) => idx.reduce((s, i) => s + i, 0) % 3);
    const b = build(sb, (idx) => idx.reduce((s, i) => s + 2 * i, 0) % 3);
    const shape = tf.backend_util.assertAndGetBroadcastShape(sa, sb);
    const pick = (x: N, s: number[], idx: number[]) =>
      s.length === 0
        ? (x as number)
        : at(
            x,
            idx.slice(idx.length - s.length).map((v, k) => (s[k] === 1 ? 0 : v)),
          );
    const got = read(() => tf.equal(tf.tensor(a as number[]), tf.tensor(b as number[])));
    expect(got).toEqual(build(shape, (idx) => (pick(a, sa, idx) === pick(b, sb, idx) ? 1 : 0)));
  }
});

test('an output that grows the wasm heap is still filled right (views taken before an allocation are detached by it)', () => {
  const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  const cols = 1024;
  const before = heapBytes();
  const rows = Math.ceil(before / 4 / cols) + 16; // the output alone is larger than the heap was
  const table = tf.tensor2d(
    Array.from({ length: 2 * cols }, (_, i) => i + 0.5),
    [2, cols],
  );
  const idx = tf.tensor1d(
    Array.from({ length: rows }, (_, i) => (i * 7) % 2),
    'int32',
  );
  const out = tf.gather(table, idx);
  expect(heapBytes()).toBeGreaterThan(before);
  const got = out.dataSync();
  for (const r of [0, 1, rows >> 1, rows - 1]) expect(got[r * cols + 5]).toBe(((r * 7) % 2) * cols + 5.5);
  // Splitting it in two allocates two halves of that size again: the heap grows while splitting.
  const grown = heapBytes();
  const [left, right] = tf.split(out, 2, 1);
  expect(heapBytes()).toBeGreaterThan(grown);
  const [l, rr] = [left!.dataSync(), right!.dataSync()];
  for (const r of [0, rows - 1]) {
    expect(l[r * (cols / 2) + 3]).toBe(got[r * cols + 3]);
    expect(rr[r * (cols / 2) + 3]).toBe(got[r * cols + cols / 2 + 3]);
  }
  tf.dispose([table, idx, out, left!, right!]);
});

test('clone shares the bytes instead of copying them, and each reference outlives the other', () => {
  const x = tf.tensor2d([
    [1.5, -2],
    [3, 4.25],
  ]);
  // numBytes counts tensors; numDataBuffers counts the backend's buffers
  const buffers = () => (tf.memory() as tf.MemoryInfo & { numDataBuffers: number }).numDataBuffers;
  const before = buffers();
  const y = x.clone();
  expect(buffers()).toBe(before); // no second copy
  x.dispose(); // the clone still reads its values
  expect(y.arraySync()).toEqual([
    [1.5, -2],
    [3, 4.25],
  ]);
  const z = y.clone();
  y.dispose();
  expect(z.dataSync()[3]).toBe(4.25);
  z.dispose();
  expect(buffers()).toBe(before - 1); // freed when the last reference went
  // a variable assigned a clone's value and then reassigned leaves the clone intact
  const v = tf.variable(tf.tensor1d([1, 2]));
  const c = v.clone();
  v.assign(tf.tensor1d([7, 8]));
  expect([...c.dataSync()]).toEqual([1, 2]);
  expect([...v.dataSync()]).toEqual([7, 8]);
  tf.dispose([v, c]);
});
