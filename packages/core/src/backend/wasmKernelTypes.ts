import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-wasm's backend object that grokscope's replacement kernels use.
 * tfjs does not export the wasm backend's class type to kernels registered from outside, so
 * the kernels in this folder (wasmFixes, wasmCopyKernels, wasmAdamKernel) share this one
 * description of it rather than each declaring its own.
 */
export interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  /** Allocates an output on the wasm heap; may grow the heap, which detaches earlier views. */
  makeOutput(shape: number[], dtype: string): TensorInfo;
  /** A view of a tensor's bytes on the heap: take it only after the kernel's last `makeOutput`. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
  /** One more reference to a tensor's bytes: disposeData frees them when the count reaches 0. */
  incRef(dataId: object): void;
}

/** What tfjs passes a kernel function registered for the wasm backend (Pack's inputs are a list). */
export interface WasmKernelArgs<Inputs = Record<string, TensorInfo>> {
  readonly inputs: Inputs;
  readonly backend: WasmBackendLike;
  readonly attrs: NamedAttrMap;
}
