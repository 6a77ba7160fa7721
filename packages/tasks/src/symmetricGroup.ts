import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/core/errors';
import { groupTask } from './groupTask';

/**
 * The permutation of 0..n−1 at `index` in lexicographic order (index 0 is the identity).
 * One-line notation: p[i] is the image of i.
 */
export function permutationAt(n: number, index: number): number[] {
  const pool = [...Array(n).keys()];
  const out: number[] = [];
  let rest = index;
  for (let k = n; k > 0; k--) {
    const f = factorial(k - 1);
    const q = Math.floor(rest / f);
    rest %= f;
    out.push(pool.splice(q, 1)[0]!);
  }
  return out;
}

/** Lexicographic index of a permutation in one-line notation. */
export function indexOfPermutation(p: readonly number[]): number {
  const pool = [...Array(p.length).keys()];
  let index = 0;
  p.forEach((x, i) => {
    const q = pool.indexOf(x);
    index += q * factorial(p.length - 1 - i);
    pool.splice(q, 1);
  });
  return index;
}

/** g∘h, applied right to left: (g∘h)(i) = g(h(i)). */
export function compose(g: readonly number[], h: readonly number[]): number[] {
  return h.map((x) => g[x]!);
}

/**
 * S_n (S5 by default, 120 elements), elements indexed in lexicographic order; the example
 * (a, b) has label a∘b with (a∘b)(i) = a(b(i)). Codebases that apply the first operand first
 * compute b∘a instead: their table is this one with the operands swapped.
 */
export function symmetricTask(options: { n?: number } = {}): Task {
  const n = options.n ?? 5;
  if (!Number.isInteger(n) || n < 2 || n > 7) throw new ConfigError('task.n', `must be an integer from 2 to 7 (S_7 has 5040 elements), got ${n}`);
  const perms = Array.from({ length: factorial(n) }, (_, i) => permutationAt(n, i));
  return groupTask({
    name: `S${n}`,
    labels: perms.map((p) => `[${p.join(',')}]`),
    abelian: n < 3,
    op: (i, j) => indexOfPermutation(compose(perms[i]!, perms[j]!)),
  });
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}
