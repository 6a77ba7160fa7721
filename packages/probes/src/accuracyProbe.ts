import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, METRIC_TAGS, type Plugin, probe } from '@grokscope/core';
import { z } from 'zod';

/** It takes no options: any given is a misspelling or a mistake. */
export const accuracyOptions = z.strictObject({});

/** The tags of each subset: `accuracy/train`, `loss/train`; `accuracy/test`, `loss/test`. */
const TAGS = {
  train: { accuracy: METRIC_TAGS.accuracyTrain, loss: METRIC_TAGS.lossTrain },
  test: { accuracy: METRIC_TAGS.accuracyTest, loss: METRIC_TAGS.lossTest },
} as const;

/** Accuracy and cross-entropy of the train and test subsets at each evaluation (`METRIC_TAGS`). */
export function accuracyProbe(): Plugin {
  return probe('accuracy', (ev) => {
    for (const subset of ['train', 'test'] as const) {
      const labels = ev.labels(subset);
      if (labels.length === 0) continue;
      const [correct, loss] = tf.tidy(() => {
        const logits = ev.forward(subset).logits;
        const y = tf.tensor1d(labels, 'int32');
        const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
        return [hits.dataSync()[0]!, crossEntropy(logits, y).dataSync()[0]!];
      });
      ev.metrics[TAGS[subset].accuracy] = correct / labels.length;
      ev.metrics[TAGS[subset].loss] = loss;
    }
  });
}
