import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/base';
import { groupTask } from './groupTask';

/** D4, of order 8: what `dihedralTask` and the `dihedral` kind's schema default to. */
export const DIHEDRAL_DEFAULT_N = 4;

/**
 * D_n, the symmetries of a regular n-gon (order 2n; 4 by default, so D4 of order 8). Token k
 * (k < n) is the rotation r^k, labelled `e`, `r1`…; token n+k is the reflection s·r^k, labelled
 * `s`, `sr1`…. r turns by 2π/n, s is a reflection, and products compose like functions (the
 * right factor acts first), so s·r·s = r⁻¹ and, exponents mod n:
 *   r^i · r^j = r^(i+j),   r^i · s r^j = s r^(j−i),   s r^i · r^j = s r^(i+j),   s r^i · s r^j = r^(j−i).
 * On the vertices 0..n−1: r(v) = v+1, s(v) = −v, so s r^k (v) = −(v+k).
 */
export function dihedralTask(options: { n?: number } = {}): Task {
  const n = options.n ?? DIHEDRAL_DEFAULT_N;
  if (!Number.isInteger(n) || n < 3) {
    throw new ConfigError(
      'task.n',
      `must be an integer ≥ 3 for D_n (D_n has 2n elements; smaller n is abelian), got ${n}`,
    );
  }
  const mod = (x: number) => ((x % n) + n) % n;
  const indices = [...Array(n).keys()];
  return groupTask({
    name: `D${n}`,
    labels: [...indices.map((k) => (k === 0 ? 'e' : `r${k}`)), ...indices.map((k) => (k === 0 ? 's' : `sr${k}`))],
    abelian: false,
    op: (x, y) => {
      const i = x % n;
      const j = y % n;
      const reflectX = x >= n;
      const reflectY = y >= n;
      if (!reflectY) return (reflectX ? n : 0) + mod(i + j);
      return (reflectX ? 0 : n) + mod(j - i);
    },
  });
}
