import type { Split } from '@grokscope/core';
import { ConfigError } from '@grokscope/core/errors';
import { Rng } from '@grokscope/core/rng';

/**
 * A seeded random train/test split of `count` examples: the first round(trainFraction·count)
 * of a permutation drawn from `Rng.derive(seed, 'split')` train, the rest test; both sorted.
 * The same seed gives the same split on every machine and backend.
 */
export function splitExamples(count: number, trainFraction: number, seed: number): Split {
  if (!(trainFraction > 0 && trainFraction < 1)) throw new ConfigError('task.trainFraction', `must be between 0 and 1 (exclusive), got ${trainFraction}`);
  if (!Number.isInteger(seed)) throw new ConfigError('seed', `must be an integer, got ${seed}`);
  const perm = Rng.derive(seed, 'split').permutation(count);
  const k = Math.round(trainFraction * count);
  if (k === 0 || k === count) throw new ConfigError('task.trainFraction', `${trainFraction} of ${count} examples leaves an empty split; choose a fraction further from 0 and 1`);
  return { train: perm.slice(0, k).sort(), test: perm.slice(k).sort() };
}
