import type { Examples, Split } from '@grokscope/core';
import { ConfigError, Rng } from '@grokscope/base';

/**
 * How a split draws its units: `ordered` (the default) draws each ordered pair (a, b) on its
 * own; `unordered` draws unordered pairs {a, b}, so (a, b) and (b, a) land on the same side.
 * On a commutative operation an ordered split puts the mirror of about trainFraction of the
 * test pairs in the training set, and a model that memorises answers them by symmetry: test
 * accuracy then climbs from memorisation on instead of plateauing (docs/science.md § Mirror pairs).
 */
export const SPLIT_UNITS = ['ordered', 'unordered'] as const;
export type SplitUnit = (typeof SPLIT_UNITS)[number];

/**
 * A seeded train/test split of examples 0..count−1: train is the first
 * round(trainFraction·count) entries of a permutation drawn from `Rng.derive(seed, 'split')`,
 * test the rest, both sorted ascending. The generator is integer-only, so the same
 * (count, trainFraction, seed) gives the same split on every machine and backend.
 */
export function splitExamples(count: number, trainFraction: number, seed: number): Split {
  if (!Number.isInteger(count) || count < 2)
    throw new RangeError(`splitExamples: count must be an integer ≥ 2, got ${count}`);
  const k = trainCount(count, trainFraction, seed, 'examples');
  const perm = Rng.derive(seed, 'split').permutation(count);
  return { train: perm.slice(0, k).sort(), test: perm.slice(k).sort() };
}

/**
 * The split of a task's examples by `unit`. `unordered` groups each example with its mirror
 * (b, a), when the task has it, draws round(trainFraction·groups) groups for training from
 * `Rng.derive(seed, 'split')` and puts both members of a group on the same side; a pair (a, a)
 * is a group of one. Deterministic in (examples, trainFraction, seed) like `splitExamples`.
 */
export function splitTask(
  examples: Pick<Examples, 'a' | 'b'>,
  trainFraction: number,
  seed: number,
  unit: SplitUnit = 'ordered',
): Split {
  const count = examples.a.length;
  if (unit === 'ordered') return splitExamples(count, trainFraction, seed);
  if (unit !== 'unordered')
    throw new ConfigError('task.split', `must be one of ${SPLIT_UNITS.join(', ')}, got ${String(unit)}`);
  // group id of each example: the index of the first example with the same unordered pair
  const firstOf = new Map<string, number>();
  const groupOf = new Int32Array(count);
  const groups: number[] = [];
  for (let i = 0; i < count; i++) {
    const a = examples.a[i]!,
      b = examples.b[i]!;
    const key = a <= b ? `${a},${b}` : `${b},${a}`;
    let g = firstOf.get(key);
    if (g === undefined) {
      g = groups.length;
      firstOf.set(key, g);
      groups.push(i);
    }
    groupOf[i] = g;
  }
  if (groups.length < 2)
    throw new ConfigError('task.split', `unordered needs at least two unordered pairs; this task has ${groups.length}`);
  const k = trainCount(groups.length, trainFraction, seed, 'unordered pairs');
  const perm = Rng.derive(seed, 'split').permutation(groups.length);
  const inTrain = new Uint8Array(groups.length);
  for (let j = 0; j < k; j++) inTrain[perm[j]!] = 1;
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < count; i++) (inTrain[groupOf[i]!] ? train : test).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

function trainCount(count: number, trainFraction: number, seed: number, what: string): number {
  if (typeof trainFraction !== 'number' || !(trainFraction > 0 && trainFraction < 1)) {
    throw new ConfigError(
      'trainFraction',
      `must be a number strictly between 0 and 1, got ${trainFraction}; the study's is 0.3`,
    );
  }
  if (!Number.isInteger(seed)) throw new ConfigError('seed', `must be an integer, got ${seed}`);
  const k = Math.round(trainFraction * count);
  if (k === 0 || k === count) {
    throw new ConfigError(
      'trainFraction',
      `${trainFraction} of ${count} ${what} leaves the ${k === 0 ? 'train' : 'test'} set empty; choose a fraction further from ${k === 0 ? 0 : 1}`,
    );
  }
  return k;
}
