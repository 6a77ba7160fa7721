import type { Split } from '@grokscope/core';
import { ConfigError, Rng } from '@grokscope/base';

/**
 * A seeded train/test split of examples 0..count−1: train is the first
 * round(trainFraction·count) entries of a permutation drawn from `Rng.derive(seed, 'split')`,
 * test the rest, both sorted ascending. The generator is integer-only, so the same
 * (count, trainFraction, seed) gives the same split on every machine and backend.
 */
export function splitExamples(count: number, trainFraction: number, seed: number): Split {
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`splitExamples: count must be an integer ≥ 2, got ${count}`);
  if (typeof trainFraction !== 'number' || !(trainFraction > 0 && trainFraction < 1)) {
    throw new ConfigError('trainFraction', `must be a number strictly between 0 and 1, got ${trainFraction}; the study's is 0.3`);
  }
  if (!Number.isInteger(seed)) throw new ConfigError('seed', `must be an integer, got ${seed}`);
  const k = Math.round(trainFraction * count);
  if (k === 0 || k === count) {
    throw new ConfigError(
      'trainFraction',
      `${trainFraction} of ${count} examples leaves the ${k === 0 ? 'train' : 'test'} set empty; choose a fraction further from ${k === 0 ? 0 : 1}`,
    );
  }
  const perm = Rng.derive(seed, 'split').permutation(count);
  return { train: perm.slice(0, k).sort(), test: perm.slice(k).sort() };
}
