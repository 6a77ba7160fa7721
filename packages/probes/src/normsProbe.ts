import * as tf from '@tensorflow/tfjs-core';
import { METRIC_TAGS, type Plugin, probe } from '@grokscope/core';
import { z } from 'zod';
import { stringOption } from './pluginOptions';

/** The tap whose mean row norm is `norm/repr` (a model without it gives no `norm/repr`). */
export const normsOptions = z.strictObject({ tap: stringOption().optional() });

/** ‖θ‖₂ over all trainable parameters, as a scalar tensor (callers dispose or tidy). */
export function parameterNorm(params: Iterable<tf.Variable>): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN([...params].map((p) => tf.sum(tf.square(p))))) as tf.Scalar);
}

/** `norm/weights` (total L2), `norm/param/<name>` per parameter, `norm/repr` (mean row norm of resid_final over all pairs). */
export function normsProbe(options: { tap?: string } = {}): Plugin {
  const tap = options.tap ?? 'resid_final';
  return probe('norms', (ev, host) => {
    const params = host.model.params;
    // Read after tidy: tidy walks a returned typed array element by element.
    const stacked = tf.tidy(() => tf.stack([...params.values()].map((p) => tf.sum(tf.square(p)))));
    const squares = stacked.dataSync();
    stacked.dispose();
    let total = 0;
    [...params.keys()].forEach((k, i) => {
      total += squares[i]!;
      ev.metrics[`norm/param/${k}`] = Math.sqrt(squares[i]!);
    });
    ev.metrics[METRIC_TAGS.normWeights] = Math.sqrt(total);
    if (host.model.tapNames.includes(tap)) {
      const z = ev.forward('all', [tap]).taps.get(tap)!;
      ev.metrics[METRIC_TAGS.normRepr] = tf.tidy(() => tf.mean(tf.norm(z, 'euclidean', 1)).dataSync()[0]!);
    }
  });
}
