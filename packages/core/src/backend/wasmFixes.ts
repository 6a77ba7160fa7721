import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { registerWasmAdamKernel } from './wasmAdamKernel';
import { registerWasmCopyKernels } from './wasmCopyKernels';
import type { WasmBackendLike, WasmKernelArgs as KernelArgs } from './wasmKernelTypes';

/**
 * Kernel fixes for the wasm backend, registered before it initialises.
 *
 * - BatchMatMul / _FusedMatMul with transposeA/B take XNNPACK's slow path (~20× slower than
 *   transposing first, measured at 8469×128×512): every backward matmul hits it. We transpose
 *   the operand with the wasm Transpose kernel and multiply untransposed.
 * - UnsortedSegmentSum (the gradient of `gather`) is not registered for wasm: a direct loop.
 * - Gather, Pack, Unpack, SplitV and broadcast Equal: typed-array copies (wasmCopyKernels.ts).
 * - GrokscopeAdamUpdate: Adam/AdamW's update in one kernel per parameter (wasmAdamKernel.ts).
 */
export function registerWasmFixes(): void {
  if (fixed) return;
  fixed = true;
  for (const name of ['BatchMatMul', '_FusedMatMul']) wrapTransposedMatMul(name);
  registerWasmCopyKernels();
  registerWasmAdamKernel();
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
    });
  }
}
let fixed = false;

function wrapTransposedMatMul(kernelName: string): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original) return;
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) return;
  const swapLast = (x: TensorInfo, backend: WasmBackendLike): TensorInfo => {
    const rank = x.shape.length;
    const perm = [...Array(rank).keys()];
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return transpose.kernelFunc({ inputs: { x }, backend: backend as never, attrs: { perm } }) as TensorInfo;
  };
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { inputs, backend, attrs } = args;
    if (!attrs['transposeA'] && !attrs['transposeB']) return original.kernelFunc(args as never) as TensorInfo;
    const made: TensorInfo[] = [];
    const a = attrs['transposeA'] ? swapLast(inputs['a']!, backend) : inputs['a']!;
    const b = attrs['transposeB'] ? swapLast(inputs['b']!, backend) : inputs['b']!;
    if (a !== inputs['a']) made.push(a);
    if (b !== inputs['b']) made.push(b);
    const out = original.kernelFunc({
      inputs: { ...inputs, a, b },
      backend: backend as never,
      attrs: { ...attrs, transposeA: false, transposeB: false },
    }) as TensorInfo;
    for (const t of made) backend.disposeData(t.dataId);
    return out;
  };
  tf.unregisterKernel(kernelName, 'wasm');
  const config: KernelConfig = { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
  tf.registerKernel(config);
}

function unsortedSegmentSum(args: KernelArgs): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs['x']!;
  const ids = inputs['segmentIds']!;
  const numSegments = attrs['numSegments'] as number;
  const inner = x.shape.slice(1).reduce((p, q) => p * q, 1);
  const xs = backend.readSync(x.dataId);
  const seg = backend.readSync(ids.dataId);
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  const o = backend.typedArrayFromHeap(out);
  o.fill(0);
  const rows = seg.length;
  for (let r = 0; r < rows; r++) {
    const s = seg[r]!;
    if (s < 0 || s >= numSegments) continue;
    const src = r * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) o[dst + k]! += xs[src + k]!;
  }
  return out;
}
