import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/core/errors';
import { groupTask } from './groupTask';

/**
 * D_n, the symmetries of a regular n-gon (order 2n). Token k < n is the rotation r^k; token
 * n + k is the reflection s·r^k. With s·r = r⁻¹·s: r^i·r^j = r^(i+j), r^i·s r^j = s r^(j−i),
 * s r^i·r^j = s r^(i+j), s r^i·s r^j = r^(j−i) (exponents mod n).
 */
export function dihedralTask(options: { n?: number } = {}): Task {
  const n = options.n ?? 4;
  if (!Number.isInteger(n) || n < 3) throw new ConfigError('task.n', `must be an integer ≥ 3 for D_n, got ${n}`);
  const m = (x: number) => ((x % n) + n) % n;
  const labels = [...Array(n).keys()].map((k) => (k === 0 ? 'e' : `r${k}`)).concat([...Array(n).keys()].map((k) => (k === 0 ? 's' : `sr${k}`)));
  return groupTask({
    name: `D${n}`,
    labels,
    abelian: false,
    op: (x, y) => {
      const [sx, i] = [x >= n, x % n];
      const [sy, j] = [y >= n, y % n];
      if (!sx && !sy) return m(i + j);
      if (!sx && sy) return n + m(j - i);
      if (sx && !sy) return n + m(i + j);
      return m(j - i);
    },
  });
}
