import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-example cross-entropy written as softplus(logsumexp_{j≠y}(l_j − l_y)), which equals
 * −log softmax(l)_y but keeps a non-zero gradient after p_y rounds to 1 in float32. Plain
 * float32 cross-entropy then gives loss spikes and false entropy collapses
 * (docs/science.md § The stable cross-entropy).
 *
 * `correctMask` is oneHot(labels) as float32 [n, classes]; pass it in when the labels are
 * fixed for the run so the step does not rebuild it.
 */
export function crossEntropyPerExample(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  correctMask?: tf.Tensor2D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const mask = correctMask ?? (tf.cast(tf.oneHot(labels, logits.shape[1]), 'float32') as tf.Tensor2D);
    const correct = tf.sum(tf.mul(logits, mask), 1, true);
    // Exclude the correct class with a large negative offset: exp underflows to exactly 0.
    const others = tf.sub(tf.sub(logits, correct), tf.mul(mask, 1e30));
    return tf.softplus(tf.logSumExp(others, 1)) as tf.Tensor1D;
  });
}

/** Mean cross-entropy over the batch (see `crossEntropyPerExample`). */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, correctMask?: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerExample(logits, labels, correctMask)) as tf.Scalar);
}
