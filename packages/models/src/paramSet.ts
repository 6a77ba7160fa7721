import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@grokscope/core';

/**
 * Builds a model's named parameters from one seeded stream, in declaration order, so the same
 * seed gives the same initial weights on every machine and backend.
 */
export class ParamSet {
  readonly params = new Map<string, tf.Variable>();
  #rng: Rng;
  #prefix: string;

  constructor(seed: number, prefix: string) {
    this.#rng = Rng.derive(seed, 'init');
    this.#prefix = prefix;
  }

  /** N(0, std²) weights; the reference grokking work uses std = 1/√fan_in. */
  normal(name: string, shape: number[], std: number): tf.Variable {
    const size = shape.reduce((p, q) => p * q, 1);
    return this.#add(name, tf.tensor(this.#rng.normalArray(size, std), shape, 'float32'));
  }

  zeros(name: string, shape: number[]): tf.Variable {
    return this.#add(name, tf.zeros(shape, 'float32'));
  }

  ones(name: string, shape: number[]): tf.Variable {
    return this.#add(name, tf.ones(shape, 'float32'));
  }

  #add(name: string, init: tf.Tensor): tf.Variable {
    if (this.params.has(name)) throw new Error(`duplicate parameter name "${name}"`);
    // Variable names are global in TensorFlow.js: make them unique per model instance.
    const v = tf.variable(init, true, `${this.#prefix}/${name}/${uid++}`);
    init.dispose();
    this.params.set(name, v);
    return v;
  }
}
let uid = 0;

/** Layer normalisation over the last axis (ε = 1e-5, PyTorch's default). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
}
