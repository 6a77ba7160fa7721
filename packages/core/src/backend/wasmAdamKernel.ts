import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmKernelArgs as KernelArgs } from './wasmKernelTypes';

/** The fused Adam/AdamW update's kernel name (src/optim/adam.ts runs it on the wasm backend). */
export const ADAM_UPDATE_KERNEL = 'GrokscopeAdamUpdate';

/**
 * The JS numbers the tfjs-op chain of `Adam.apply` hands to `tf.mul`, `tf.div`, `tf.add`: each
 * computed in double, as today. The kernel rounds each to float32 once, as tfjs does when it
 * uploads a number as a float32 scalar tensor.
 */
export interface AdamUpdateScalars {
  readonly beta1: number;
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  readonly oneMinusBeta2: number;
  /** √(1 − β₂ᵗ): √v is divided by it. */
  readonly sqrtC2: number;
  readonly eps: number;
  /** lr / (1 − β₁ᵗ): m/denom is multiplied by it. */
  readonly stepSize: number;
  /** AdamW: the parameter is multiplied by 1 − lr·wd before the update; null: no decay. */
  readonly decayFactor: number | null;
  /** Adam with L2: wd, the gradient becomes g + θ·wd; null: no L2 term. */
  readonly l2: number | null;
}

/** Whether the active backend runs the fused update (wasm, with the kernel registered); Adam uses the op chain otherwise. */
export function fusedAdamAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(ADAM_UPDATE_KERNEL, 'wasm') !== undefined;
}

/**
 * Registers the fused update for the wasm backend: inputs (param, m, v, grad), outputs
 * (param', m', v'), one kernel call where the op chain ran about 14 plus a scalar upload per
 * operand (docs/throughput.md § A fused optimiser update).
 *
 * Bitwise the op chain's result: each tfjs-wasm element-wise kernel computes in float32, and
 * +, −, ×, ÷ and √ are correctly rounded, so each op here is the double result of float32
 * operands rounded once with `Math.fround` — double has more than 2·24 + 2 bits, so rounding
 * the double result again to float32 gives the correctly rounded float32 result — taken in
 * exactly the chain's order (packages/core/test/fusedAdam.test.ts compares the bytes).
 */
export function registerWasmAdamKernel(): void {
  if (tf.getKernel(ADAM_UPDATE_KERNEL, 'wasm')) return;
  tf.registerKernel({
    kernelName: ADAM_UPDATE_KERNEL,
    backendName: 'wasm',
    kernelFunc: adamUpdate as unknown as KernelFunc,
  } as KernelConfig);
}

const f = Math.fround;

function adamUpdate({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const names = ['param', 'm', 'v', 'grad'] as const;
  const [param, m, v, grad] = names.map((name) => {
    const x = inputs[name];
    if (!x) throw new Error(`${ADAM_UPDATE_KERNEL}: the input "${name}" is missing; pass param, m, v and grad`);
    if (x.dtype !== 'float32')
      throw new Error(
        `${ADAM_UPDATE_KERNEL}: the input "${name}" is ${x.dtype}; the fused update takes float32 tensors only`,
      );
    return x;
  }) as [TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  for (const [name, x] of [
    ['m', m],
    ['v', v],
    ['grad', grad],
  ] as const) {
    if (x.shape.length !== param.shape.length || x.shape.some((d, i) => d !== param.shape[i])) {
      throw new Error(
        `${ADAM_UPDATE_KERNEL}: "${name}" has shape [${x.shape}] but the parameter has [${param.shape}]; give every input the parameter's shape`,
      );
    }
  }
  const s = attrs as unknown as AdamUpdateScalars;
  const b1 = f(s.beta1);
  const c1 = f(s.oneMinusBeta1);
  const b2 = f(s.beta2);
  const c2 = f(s.oneMinusBeta2);
  const sqrtC2 = f(s.sqrtC2);
  const eps = f(s.eps);
  const stepSize = f(s.stepSize);
  const decay = s.decayFactor === null ? null : f(s.decayFactor);
  const l2 = s.l2 === null ? null : f(s.l2);

  const pOut = backend.makeOutput([...param.shape], 'float32');
  const mOut = backend.makeOutput([...param.shape], 'float32');
  const vOut = backend.makeOutput([...param.shape], 'float32');
  // Views into the heap only after the last allocation: growing the heap detaches older views.
  const P = backend.typedArrayFromHeap(param) as Float32Array;
  const M = backend.typedArrayFromHeap(m) as Float32Array;
  const V = backend.typedArrayFromHeap(v) as Float32Array;
  const G = backend.typedArrayFromHeap(grad) as Float32Array;
  const P2 = backend.typedArrayFromHeap(pOut) as Float32Array;
  const M2 = backend.typedArrayFromHeap(mOut) as Float32Array;
  const V2 = backend.typedArrayFromHeap(vOut) as Float32Array;

  // The chain in adam.ts, one rounding per tfjs op and in its order (comments name the ops); a
  // store into a Float32Array rounds too. In passes, not one loop: each element's chain of
  // roundings is long (about 13 float↔double conversions), and short loops let the CPU overlap
  // elements — about 1.5× faster than one loop on this machine, with the same bits.
  const n = P.length;
  let G2 = G;
  if (l2 !== null) {
    G2 = P2; // scratch until the last pass
    for (let i = 0; i < n; i++) G2[i] = G[i]! + f(P[i]! * l2); // add(g, mul(p, wd))
  }
  for (let i = 0; i < n; i++) M2[i] = f(M[i]! * b1) + f(G2[i]! * c1); // add(mul(m, β₁), mul(g, 1 − β₁))
  for (let i = 0; i < n; i++) {
    const g = G2[i]!;
    V2[i] = f(V[i]! * b2) + f(f(g * g) * c2); // add(mul(v, β₂), mul(square(g), 1 − β₂))
  }
  const denom = P2; // scratch until the last pass
  for (let i = 0; i < n; i++) denom[i] = f(f(Math.sqrt(V2[i]!)) / sqrtC2) + eps; // add(div(sqrt(v), √c₂), ε)
  if (decay === null) {
    for (let i = 0; i < n; i++) P2[i] = P[i]! - f(f(M2[i]! / denom[i]!) * stepSize); // sub(p, mul(div(m, denom), stepSize))
  } else {
    for (let i = 0; i < n; i++) P2[i] = f(P[i]! * decay) - f(f(M2[i]! / denom[i]!) * stepSize); // sub(mul(p, 1 − lr·wd), …)
  }
  return [pOut, mOut, vOut];
}
