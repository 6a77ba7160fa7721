import { type Irrep } from './irrep';

/** An element s^reflection · r^rotation of D_n, as @grokscope/tasks labels them (`e`, `r1`, `s`, `sr1`, …). */
export interface DihedralElement {
  readonly reflection: boolean;
  readonly rotation: number;
}

/**
 * Every irrep of D_n (order 2n, r^n = s² = 1, s·r·s = r⁻¹), evaluated on `elements`: the trivial
 * and `det` (s ↦ −1) characters; for even n also `parity` (r ↦ −1) and `parity·det`; and the
 * two-dimensional `rot<k>` for k = 1..⌊(n−1)/2⌋, r ↦ rotation by 2πk/n, s ↦ diag(1, −1).
 * ρ(s·r^k) = ρ(s)ρ(r)^k, so products compose like the task's (right factor acts first).
 */
export function dihedralIrreps(n: number, elements: readonly DihedralElement[]): Irrep[] {
  const characters: [string, number, number][] = [
    ['trivial', 1, 1],
    ['det', 1, -1],
  ];
  if (n % 2 === 0) characters.push(['parity', -1, 1], ['parity·det', -1, -1]);
  const out: Irrep[] = characters.map(([name, r, s]) => ({
    name,
    dim: 1,
    matrices: elements.map((e) => Float64Array.of((e.reflection ? s : 1) * r ** e.rotation)),
  }));
  for (let k = 1; 2 * k < n; k++) {
    const matrices = elements.map((e) => {
      const angle = (2 * Math.PI * k * e.rotation) / n;
      const [c, s] = [Math.cos(angle), Math.sin(angle)];
      // diag(1, −1)·R(θ) flips the sign of R's second row.
      const f = e.reflection ? -1 : 1;
      return Float64Array.of(c, -s, f * s, f * c);
    });
    out.push({ name: `rot${k}`, dim: 2, matrices });
  }
  return out;
}
