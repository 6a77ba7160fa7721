import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { ADAM_UPDATE_KERNEL, type AdamUpdateScalars, fusedAdamAvailable } from '../backend/wasmAdamKernel';
import { ConfigError } from '../errors';
import type { NamedGradients, Optimizer } from './optimizer';

export interface AdamOptions {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
  /** true: AdamW (θ ← θ − lr·(m̂/(√v̂+ε) + wd·θ)); false: Adam with L2 (g ← g + wd·θ). */
  readonly decoupled: boolean;
  /**
   * true (default): on the wasm backend, one fused kernel per parameter (bitwise the op chain's
   * result, docs/throughput.md § A fused optimiser update); false: always the tfjs-op chain, the
   * reference the fused kernel is tested against. Other backends always run the op chain.
   */
  readonly fused?: boolean;
}

/**
 * Adam and AdamW, matching PyTorch's update: bias-corrected moments, ε added to √v̂, and for
 * AdamW the decay applied to the parameter before this step's update.
 */
export class Adam implements Optimizer {
  readonly name: string;
  #lr: number;
  #b1: number;
  #b2: number;
  #eps: number;
  #wd: number;
  #decoupled: boolean;
  #fused: boolean;
  #t = 0;
  #m = new Map<string, tf.Variable>();
  #v = new Map<string, tf.Variable>();

  constructor(opts: AdamOptions) {
    this.name = opts.decoupled ? 'adamw' : 'adam';
    this.#lr = positive('optimizer.lr', opts.lr);
    this.#b1 = unit('optimizer.beta1', opts.beta1 ?? 0.9);
    this.#b2 = unit('optimizer.beta2', opts.beta2 ?? 0.999);
    this.#eps = positive('optimizer.eps', opts.eps ?? 1e-8);
    this.#wd = nonNegative('optimizer.weightDecay', opts.weightDecay ?? (opts.decoupled ? 0.01 : 0));
    this.#decoupled = opts.decoupled;
    this.#fused = opts.fused ?? true;
  }

  /** The step size of the next update; a `beforeStep` tap may change it (a schedule). */
  get learningRate(): number {
    return this.#lr;
  }

  set learningRate(lr: number) {
    this.#lr = positive('optimizer.lr', lr);
  }

  get iterations(): number {
    return this.#t;
  }

  apply(params: ReadonlyMap<string, tf.Variable>, grads: NamedGradients): void {
    this.#t += 1;
    const t = this.#t;
    const c1 = 1 - Math.pow(this.#b1, t);
    const c2 = 1 - Math.pow(this.#b2, t);
    // Every scalar operand, computed in double; each becomes a float32 scalar in the op it feeds.
    const s: AdamUpdateScalars = {
      beta1: this.#b1,
      oneMinusBeta1: 1 - this.#b1,
      beta2: this.#b2,
      oneMinusBeta2: 1 - this.#b2,
      sqrtC2: Math.sqrt(c2),
      eps: this.#eps,
      stepSize: this.#lr / c1,
      decayFactor: this.#decoupled && this.#wd !== 0 ? 1 - this.#lr * this.#wd : null,
      l2: !this.#decoupled && this.#wd !== 0 ? this.#wd : null,
    };
    const fused = this.#fused && fusedAdamAvailable();
    tf.tidy(() => {
      for (const [name, p] of params) {
        const g = grads.get(name);
        if (!g) continue;
        const m = this.#slot(this.#m, name, p);
        const v = this.#slot(this.#v, name, p);
        if (fused && p.dtype === 'float32' && g.dtype === 'float32') {
          const [p2, m2, v2] = tf
            .engine()
            .runKernel(ADAM_UPDATE_KERNEL, { param: p, m, v, grad: g }, s as unknown as NamedAttrMap) as tf.Tensor[];
          m.assign(m2!);
          v.assign(v2!);
          p.assign(p2!);
        } else {
          opChainUpdate(p, m, v, g, s);
        }
      }
    });
  }

  #slot(slots: Map<string, tf.Variable>, name: string, p: tf.Variable): tf.Variable {
    let s = slots.get(name);
    if (!s) {
      s = tf.variable(tf.zerosLike(p), false);
      slots.set(name, s);
    }
    return s;
  }

  slots(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [k, v] of this.#m) out.set(`m/${k}`, v);
    for (const [k, v] of this.#v) out.set(`v/${k}`, v);
    return out;
  }

  load(iterations: number, slots: Map<string, { shape: number[]; values: Float32Array }>): void {
    this.dispose();
    this.#t = iterations;
    for (const [key, { shape, values }] of slots) {
      const [kind, ...rest] = key.split('/');
      const target = kind === 'm' ? this.#m : kind === 'v' ? this.#v : undefined;
      if (!target) continue;
      target.set(rest.join('/'), tf.variable(tf.tensor(values, shape, 'float32'), false));
    }
  }

  dispose(): void {
    for (const s of [...this.#m.values(), ...this.#v.values()]) s.dispose();
    this.#m.clear();
    this.#v.clear();
  }
}

/**
 * The update as tfjs ops (every backend; the reference for the fused wasm kernel): PyTorch's
 * Adam/AdamW with bias-corrected moments and ε added to √v̂.
 */
function opChainUpdate(p: tf.Variable, m: tf.Variable, v: tf.Variable, grad: tf.Tensor, s: AdamUpdateScalars): void {
  const g = s.l2 === null ? grad : tf.add(grad, tf.mul(p, s.l2));
  m.assign(tf.add(tf.mul(m, s.beta1), tf.mul(g, s.oneMinusBeta1)));
  v.assign(tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(g), s.oneMinusBeta2)));
  const denom = tf.add(tf.div(tf.sqrt(v), s.sqrtC2), s.eps);
  const next = s.decayFactor === null ? p : tf.mul(p, s.decayFactor);
  p.assign(tf.sub(next, tf.mul(tf.div(m, denom), s.stepSize)));
}

export function positive(field: string, x: number): number {
  if (!(Number.isFinite(x) && x > 0)) throw new ConfigError(field, `must be a positive number, got ${x}`);
  return x;
}
export function nonNegative(field: string, x: number): number {
  if (!(Number.isFinite(x) && x >= 0)) throw new ConfigError(field, `must be a number ≥ 0, got ${x}`);
  return x;
}
function unit(field: string, x: number): number {
  if (!(Number.isFinite(x) && x >= 0 && x < 1)) throw new ConfigError(field, `must be in [0, 1), got ${x}`);
  return x;
}
