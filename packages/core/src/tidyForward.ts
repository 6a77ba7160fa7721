import * as tf from '@tensorflow/tfjs-core';
import type { ForwardResult } from './plugin';

/**
 * `tf.tidy` for a function returning a `ForwardResult`: tidy does not look inside a Map, so the
 * logits and every tap are kept explicitly; everything else made inside is freed.
 */
export function tidyForward(fn: () => ForwardResult): ForwardResult {
  let out: ForwardResult | undefined;
  tf.tidy(() => {
    out = fn();
    tf.keep(out.logits);
    for (const t of out.taps.values()) tf.keep(t);
  });
  return out!;
}
