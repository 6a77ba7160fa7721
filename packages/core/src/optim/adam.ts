import * as tf from '@tensorflow/tfjs-core';
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
    const stepSize = this.#lr / c1;
    const sqrtC2 = Math.sqrt(c2);
    tf.tidy(() => {
      for (const [name, p] of params) {
        let g = grads.get(name);
        if (!g) continue;
        if (!this.#decoupled && this.#wd !== 0) g = tf.add(g, tf.mul(p, this.#wd));
        const m = this.#slot(this.#m, name, p);
        const v = this.#slot(this.#v, name, p);
        m.assign(tf.add(tf.mul(m, this.#b1), tf.mul(g, 1 - this.#b1)));
        v.assign(tf.add(tf.mul(v, this.#b2), tf.mul(tf.square(g), 1 - this.#b2)));
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtC2), this.#eps);
        let next: tf.Tensor = p;
        if (this.#decoupled && this.#wd !== 0) next = tf.mul(next, 1 - this.#lr * this.#wd);
        p.assign(tf.sub(next, tf.mul(tf.div(m, denom), stepSize)));
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
