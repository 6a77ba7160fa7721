/**
 * A real orthogonal irreducible representation of a finite group, evaluated on its elements:
 * `matrices[g]` is ρ(g), `dim`×`dim`, row-major, for the element at position g of the caller's
 * element order. Real irreps are enough for S_n and D_n, whose irreps are all realisable over R,
 * and then the matrix entries g ↦ ρ(g)_ij of all irreps together are an orthogonal basis of R^|G|.
 */
export interface Irrep {
  /** How the literature names it: the partition for S_n ("[3,1]"), "trivial", "rot2", … for D_n. */
  readonly name: string;
  readonly dim: number;
  readonly matrices: readonly Float64Array[];
}

/** a·b for row-major `d`×`d` matrices. */
export function multiplyMatrices(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const x = a[i * d + k]!;
      if (x === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j]! += x * b[k * d + j]!;
    }
  return out;
}
