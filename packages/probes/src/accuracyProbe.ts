import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, EvalStage, type Plugin } from '@grokscope/core';
import type { OptionSchema } from './pluginOptions';

/** It takes no options: any given is a misspelling or a mistake. */
export const accuracyOptions: OptionSchema = {};

/** `accuracy/train`, `accuracy/test`, `loss/train`, `loss/test` at each evaluation. */
export function accuracyProbe(): Plugin {
  const name = 'accuracy';
  return {
    name,
    apply(trainer) {
      trainer.hooks.evaluate.tapPromise({ name, stage: EvalStage.measure }, async (ev) => {
        for (const subset of ['train', 'test'] as const) {
          const labels = ev.labels(subset);
          if (labels.length === 0) continue;
          const [correct, loss] = tf.tidy(() => {
            const logits = ev.forward(subset).logits;
            const y = tf.tensor1d(labels, 'int32');
            const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
            return [hits.dataSync()[0]!, crossEntropy(logits, y).dataSync()[0]!];
          });
          ev.metrics[`accuracy/${subset}`] = correct / labels.length;
          ev.metrics[`loss/${subset}`] = loss;
        }
      });
    },
  };
}
