import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, Rng, type Plugin, type RngState } from '@grokscope/core';
import { z } from 'zod';
import { stringOption } from '../pluginOptions';

/** What a config may give, checked before the run starts (the tap against the model at setup). */
export const mixingOptions = z.strictObject({
  alpha: z.number().min(0).max(1).optional(),
  tap: stringOption().optional(),
  seed: z.number().int().min(0).optional(),
});

/**
 * Representation mixing, training forward only: z ← (1−α)·z + α·z_π(i) with a fresh random
 * permutation π of the batch each step, spreading variance across directions. The permutation
 * stream is seeded and checkpointed, so resumed runs mix identically.
 */
export function mixing(options: { alpha?: number; tap?: string; seed?: number } = {}): Plugin {
  const name = 'mixing';
  const alpha = options.alpha ?? 0.3;
  const tap = options.tap ?? 'resid_final';
  // Reseeded in `apply`, where the run's seed is known; saved and restored with the checkpoint.
  let rng = new Rng(0);
  return {
    name,
    apply(host) {
      rng = Rng.derive(options.seed ?? host.seed, 'mixing');
      host.hooks.setup.tapPromise(name, async () => {
        if (!(alpha >= 0 && alpha <= 1))
          throw new ConfigError('interventions.mixing.alpha', `must be in [0, 1], got ${alpha}`);
        if (!host.model.tapNames.includes(tap))
          throw new ConfigError(
            'interventions.mixing.tap',
            `unknown tap "${tap}"; the model offers ${host.model.tapNames.join(', ')}`,
          );
        const rewritable = host.model.transformableTaps ?? host.model.tapNames;
        if (!rewritable.includes(tap)) {
          throw new ConfigError(
            'interventions.mixing.tap',
            `the ${host.model.name} cannot rewrite tap "${tap}" in training, so mixing it would do nothing; choose one of ${rewritable.join(', ')}`,
          );
        }
      });
      const transform = (z: tf.Tensor2D): tf.Tensor2D => {
        const perm = tf.tensor1d(rng.permutation(z.shape[0]), 'int32');
        return tf.add(tf.mul(z, 1 - alpha), tf.mul(tf.gather(z, perm), alpha)) as tf.Tensor2D;
      };
      host.hooks.forward.tap(name, (request) => ({
        ...request,
        transforms: new Map([...request.transforms, [tap, transform]]),
      }));
    },
    saveState: () => rng.state(),
    // Core refuses to resume a checkpoint without this plugin's state, so it is always there.
    loadState(state) {
      rng = new Rng(state as RngState);
    },
  };
}
