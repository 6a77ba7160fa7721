import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/base';
import { groupTask } from './groupTask';

/*
 * Permutations are in one-line notation: p[i] is the image of i. Composition is right to
 * left, as for functions: (g∘h)(i) = g(h(i)), so h acts first. Codebases that apply the
 * first operand first compute h∘g for the pair (g, h): their table is ours with the operands
 * swapped (for S3, [0,2,1]·[1,0,2] is [2,0,1] here and [1,2,0] there).
 */

/** The permutation of 0..n−1 at `index` in lexicographic order: 0 is the identity, n!−1 reverses. */
export function permutationAt(n: number, index: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`permutationAt: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(index) || index < 0 || index >= factorial(n)) {
    throw new RangeError(
      `permutationAt: index must be an integer in 0..${factorial(n) - 1} for n = ${n}, got ${index}`,
    );
  }
  const pool = [...Array(n).keys()];
  const out: number[] = [];
  let rest = index;
  for (let k = n - 1; k >= 0; k--) {
    const f = factorial(k);
    out.push(pool.splice(Math.floor(rest / f), 1)[0]!);
    rest %= f;
  }
  return out;
}

/** The lexicographic index of a permutation of 0..n−1 (the inverse of `permutationAt`). */
export function indexOfPermutation(p: readonly number[]): number {
  const pool = [...Array(p.length).keys()];
  let index = 0;
  p.forEach((x, i) => {
    const q = pool.indexOf(x);
    if (q < 0) throw new RangeError(`indexOfPermutation: [${p.join(',')}] is not a permutation of 0..${p.length - 1}`);
    index += q * factorial(p.length - 1 - i);
    pool.splice(q, 1);
  });
  return index;
}

/** g∘h with (g∘h)(i) = g(h(i)): h acts first. */
export function compose(g: readonly number[], h: readonly number[]): number[] {
  if (g.length !== h.length)
    throw new RangeError(`compose: permutations of different sizes (${g.length} and ${h.length})`);
  return h.map((x) => g[x]!);
}

/** S5, the study's non-abelian group: what `symmetricTask` and the `symmetric` kind's schema default to. */
export const SYMMETRIC_DEFAULT_N = 5;

/**
 * S_n (S5 by default, 120 elements), tokens in lexicographic order, labels in one-line
 * notation ("[0,1,2,3,4]"); the example (a, b) has label a∘b with (a∘b)(i) = a(b(i)).
 */
export function symmetricTask(options: { n?: number } = {}): Task {
  const n = options.n ?? SYMMETRIC_DEFAULT_N;
  if (!Number.isInteger(n) || n < 2 || n > 7) {
    throw new ConfigError(
      'task.n',
      `must be an integer from 2 to 7 for S_n (S5, the study's, has 120 elements; S7 has 5040), got ${n}`,
    );
  }
  const perms = Array.from({ length: factorial(n) }, (_, i) => permutationAt(n, i));
  return groupTask({
    name: `S${n}`,
    labels: perms.map((p) => `[${p.join(',')}]`),
    abelian: n === 2,
    op: (i, j) => indexOfPermutation(compose(perms[i]!, perms[j]!)),
  });
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}
