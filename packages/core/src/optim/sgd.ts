import * as tf from '@tensorflow/tfjs-core';
import { nonNegative, positive } from './adam';
import type { NamedGradients, Optimizer } from './optimizer';

/** SGD with optional heavy-ball momentum (PyTorch's form) and L2 weight decay in the gradient. */
export class Sgd implements Optimizer {
  readonly name = 'sgd';
  #lr: number;
  #momentum: number;
  #wd: number;
  #t = 0;
  #buf = new Map<string, tf.Variable>();

  constructor(opts: { lr: number; momentum?: number; weightDecay?: number }) {
    this.#lr = positive('optimizer.lr', opts.lr);
    this.#momentum = nonNegative('optimizer.momentum', opts.momentum ?? 0);
    this.#wd = nonNegative('optimizer.weightDecay', opts.weightDecay ?? 0);
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
    tf.tidy(() => {
      for (const [name, p] of params) {
        let g = grads.get(name);
        if (!g) continue;
        if (this.#wd !== 0) g = tf.add(g, tf.mul(p, this.#wd));
        if (this.#momentum !== 0) {
          let b = this.#buf.get(name);
          if (!b) {
            b = tf.variable(g, false);
            this.#buf.set(name, b);
          } else {
            b.assign(tf.add(tf.mul(b, this.#momentum), g));
          }
          g = b;
        }
        p.assign(tf.sub(p, tf.mul(g, this.#lr)));
      }
    });
  }

  slots(): Map<string, tf.Tensor> {
    return new Map([...this.#buf].map(([k, v]) => [`momentum/${k}`, v]));
  }

  load(iterations: number, slots: Map<string, { shape: number[]; values: Float32Array }>): void {
    this.dispose();
    this.#t = iterations;
    for (const [key, { shape, values }] of slots) {
      if (key.startsWith('momentum/')) this.#buf.set(key.slice(9), tf.variable(tf.tensor(values, shape), false));
    }
  }

  dispose(): void {
    for (const b of this.#buf.values()) b.dispose();
    this.#buf.clear();
  }
}
