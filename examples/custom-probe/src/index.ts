import * as tf from '@tensorflow/tfjs-core';
import { type Plugin, probe, type Subset } from '@grokscope/core';

export interface LogitMarginOptions {
  readonly subset?: Subset;
}

/**
 * `margin/<subset>`: the mean, over examples, of the correct logit minus the largest other
 * logit. Positive means classified correctly; it keeps growing after accuracy saturates, so it
 * shows how confident memorisation and generalisation are.
 */
export function logitMarginProbe(options: LogitMarginOptions = {}): Plugin {
  const subset = options.subset ?? 'test';
  return probe(`logit-margin:${subset}`, (ev) => {
    const labels = ev.labels(subset);
    if (labels.length === 0) return;
    ev.metrics[`margin/${subset}`] = tf.tidy(() => {
      const logits = ev.forward(subset).logits;
      const mask = tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1]);
      const correct = tf.sum(tf.mul(logits, mask), 1);
      const others = tf.max(tf.sub(logits, tf.mul(mask, 1e9)), 1);
      return tf.mean(tf.sub(correct, others)).dataSync()[0]!;
    });
  });
}

export default logitMarginProbe;
