import * as tf from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike, WasmKernelArgs } from './wasmKernelTypes';

type KernelArgs = WasmKernelArgs<Record<string, TensorInfo> | TensorInfo[]>;

/**
 * Data-movement kernels for the wasm backend, replacing tfjs-backend-wasm 4.22's own where those
 * are slow on the shapes a training step uses (docs/throughput.md § Kernels replaced). Measured
 * on the paper step (2,823 training pairs) with `tf.profile`: GatherV2 of the [98, 128]
 * embedding 35 ms a call, Pack of three [2823, 4] scores 50 ms, Unpack 15 ms, SplitV 9 ms, and
 * Equal of [2823, 97] against [2823, 1] (the gradient of logSumExp's max) 73 ms — about a third
 * of the step, for copies and one comparison. Concat, the gradient of the split of the attention
 * weights at `=`, made one subarray per row of 1 element: 1 ms of a quick step's 20. Identity, which copied, now shares the bytes. Each replacement copies or compares the same
 * elements in plain typed-array loops, so every result is bitwise the original's
 * (packages/core/test/wasmCopyKernels.test.ts checks them against hand-built answers and a
 * training run against the originals).
 */
export function registerWasmCopyKernels(): void {
  if (registered) return;
  registered = true;
  replace('GatherV2', (original) => (args) => (args.attrs['batchDims'] ? original(args) : gather(args)));
  replace('Pack', () => pack);
  replace('Unpack', () => unpack);
  replace('SplitV', () => splitV);
  replace(
    'Concat',
    (original) => (args) => ((args.inputs as TensorInfo[])[0]!.dtype === 'string' ? original(args) : concat(args)),
  );
  replace('Equal', (original) => (args) => {
    const { a, b } = args.inputs as Record<string, TensorInfo>;
    return sameShape(a!, b!) ? original(args) : broadcastEqual(args);
  });
  replace('Identity', (original) => (args) => {
    const { x } = args.inputs as Record<string, TensorInfo>;
    return x!.dtype === 'string' ? original(args) : shareData(x!, args.backend);
  });
}
let registered = false;

type Kernel = (args: KernelArgs) => TensorInfo | TensorInfo[];

function replace(name: string, make: (original: Kernel) => Kernel): void {
  const config = tf.getKernel(name, 'wasm');
  if (!config) return;
  const original = config.kernelFunc as unknown as Kernel;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...config, kernelFunc: make(original) as unknown as KernelFunc } as KernelConfig);
}

const product = (xs: readonly number[]) => xs.reduce((p, q) => p * q, 1);
const axisOf = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const sameShape = (a: TensorInfo, b: TensorInfo) =>
  a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/** Copies `count` elements; `set` on subarrays pays off only for longer runs. */
function copy(
  dst: Float32Array | Int32Array | Uint8Array,
  at: number,
  src: Float32Array | Int32Array | Uint8Array,
  from: number,
  count: number,
): void {
  if (count > 16) dst.set(src.subarray(from, from + count), at);
  else for (let k = 0; k < count; k++) dst[at + k] = src[from + k]!;
}

/**
 * Identity (what `clone` runs) as a second reference to the same bytes, the way the backend's
 * own Reshape works: tensors are immutable and the backend counts references, so a copy buys
 * nothing. tfjs clones every tensor a kernel saves for its gradient, so with the copy a quick
 * step ran 107 of them and a paper step copied its [2823, 512] activations several times over.
 */
function shareData(x: TensorInfo, backend: WasmBackendLike): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

function gather({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, indices } = inputs as Record<string, TensorInfo>;
  const axis = axisOf(attrs['axis'] as number, x!.shape.length);
  const dim = x!.shape[axis]!;
  const outer = product(x!.shape.slice(0, axis));
  const inner = product(x!.shape.slice(axis + 1));
  const checked = backend.typedArrayFromHeap(indices!);
  for (let j = 0; j < checked.length; j++) {
    const i = checked[j]!;
    if (i < 0 || i >= dim) throw new Error(`GatherV2: the index value ${i} is not in [0, ${dim - 1}]`);
  }
  const out = backend.makeOutput(
    [...x!.shape.slice(0, axis), ...indices!.shape, ...x!.shape.slice(axis + 1)],
    x!.dtype,
  );
  // Views into the heap only after the last allocation: growing the heap detaches older views.
  const idx = backend.typedArrayFromHeap(indices!);
  const src = backend.typedArrayFromHeap(x!);
  const dst = backend.typedArrayFromHeap(out);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++)
      copy(dst, (o * idx.length + j) * inner, src, (o * dim + idx[j]!) * inner, inner);
  }
  return out;
}

function pack({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const xs = inputs as TensorInfo[];
  const shape = xs[0]!.shape;
  const axis = axisOf(attrs['axis'] as number, shape.length + 1);
  return joinAlong(xs, axis, [...shape.slice(0, axis), xs.length, ...shape.slice(axis)], xs[0]!.dtype, backend);
}

function unpack({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const value = (inputs as Record<string, TensorInfo>)['value']!;
  const axis = axisOf(attrs['axis'] as number, value.shape.length);
  return splitAlong(value, axis, new Array<number>(value.shape[axis]!).fill(1), backend, true);
}

function splitV({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const x = (inputs as Record<string, TensorInfo>)['x']!;
  const axis = axisOf(attrs['axis'] as number, x.shape.length);
  const sizes = tf.backend_util.prepareSplitSize(x as never, attrs['numOrSizeSplits'] as number | number[], axis);
  return splitAlong(x, axis, sizes, backend, false);
}

/** Inputs joined along `axis`; empty ones skipped, as tfjs does. */
function concat({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const all = inputs as TensorInfo[];
  const axis = axisOf(tf.util.parseAxisParam(attrs['axis'] as number, all[0]!.shape)[0]!, all[0]!.shape.length);
  const shapes = all.map((t) => t.shape);
  tf.backend_util.assertParamsConsistent(shapes, axis);
  // The dtype comes from the inputs as given: every one of them may be empty, leaving none to copy.
  return joinAlong(
    all.filter((t) => product(t.shape) > 0),
    axis,
    tf.backend_util.computeOutShape(shapes, axis),
    all[0]!.dtype,
    backend,
  );
}

/**
 * `xs` laid side by side along `axis` of `shape` (Pack and Concat): each input's slab of every
 * outer index is one contiguous run, copied to its place. The counterpart of `splitAlong`.
 */
function joinAlong(
  xs: readonly TensorInfo[],
  axis: number,
  shape: readonly number[],
  dtype: DataType,
  backend: WasmBackendLike,
): TensorInfo {
  const out = backend.makeOutput([...shape], dtype);
  const outer = product(shape.slice(0, axis));
  const width = product(shape.slice(axis));
  const dst = backend.typedArrayFromHeap(out); // views only after the allocation (it may grow the heap)
  let at = 0;
  for (const x of xs) {
    const inner = product(x.shape) / outer;
    const src = backend.typedArrayFromHeap(x);
    for (let o = 0; o < outer; o++) copy(dst, o * width + at, src, o * inner, inner);
    at += inner;
  }
  return out;
}

/** Pieces of `x` along `axis` of the given sizes; `drop` removes the axis (Unpack). */
function splitAlong(
  x: TensorInfo,
  axis: number,
  sizes: readonly number[],
  backend: WasmBackendLike,
  drop: boolean,
): TensorInfo[] {
  const outer = product(x.shape.slice(0, axis));
  const inner = product(x.shape.slice(axis + 1));
  const dim = x.shape[axis]!;
  let start = 0;
  return sizes.map((size) => {
    const shape = drop
      ? [...x.shape.slice(0, axis), ...x.shape.slice(axis + 1)]
      : [...x.shape.slice(0, axis), size, ...x.shape.slice(axis + 1)];
    const out = backend.makeOutput(shape, x.dtype);
    // After the allocation: growing the heap detaches views taken before it.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let o = 0; o < outer; o++) copy(dst, o * size * inner, src, (o * dim + start) * inner, size * inner);
    start += size;
    return out;
  });
}

/** a == b with broadcasting (numpy rules), as 0/1 bytes. */
function broadcastEqual({ inputs, backend }: KernelArgs): TensorInfo {
  const { a, b } = inputs as Record<string, TensorInfo>;
  const shape = tf.backend_util.assertAndGetBroadcastShape(a!.shape, b!.shape);
  const out = backend.makeOutput(shape, 'bool');
  const dst = backend.typedArrayFromHeap(out);
  const av = backend.typedArrayFromHeap(a!);
  const bv = backend.typedArrayFromHeap(b!);
  // Each input's stride per output axis: 0 where it is broadcast (missing or of size 1).
  const strides = (s: readonly number[]) => {
    const padded = [...new Array<number>(shape.length - s.length).fill(1), ...s];
    const st = new Array<number>(shape.length).fill(0);
    let acc = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      st[d] = padded[d] === 1 ? 0 : acc;
      acc *= padded[d]!;
    }
    return st;
  };
  const sa = strides(a!.shape);
  const sb = strides(b!.shape);
  const last = shape.length - 1;
  const n = shape[last] ?? 1;
  const rows = product(shape.slice(0, last));
  const counter = new Array<number>(Math.max(0, last)).fill(0);
  for (let r = 0; r < rows; r++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < last; d++) {
      ia += counter[d]! * sa[d]!;
      ib += counter[d]! * sb[d]!;
    }
    const la = sa[last] ?? 0;
    const lb = sb[last] ?? 0;
    for (let k = 0; k < n; k++) dst[r * n + k] = av[ia + k * la] === bv[ib + k * lb] ? 1 : 0;
    for (let d = last - 1; d >= 0; d--) {
      if (++counter[d]! < shape[d]!) break;
      counter[d] = 0;
    }
  }
  return out;
}
