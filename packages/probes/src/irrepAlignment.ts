import { type Irrep } from './irrep';

export interface IrrepAlignment {
  /** Share of the non-trivial energy in the top-K irreps' subspaces. */
  readonly alignment: number;
  /** The top-K non-trivial irreps (indices into the irreps given), strongest first. */
  readonly keyIrreps: number[];
  /** Energy per irrep, in the order given (the trivial one's is the energy of the column means). */
  readonly energy: number[];
  /** What a random embedding would score in the same irreps: Σ d_ρ² over them / (|G| − 1). */
  readonly chance: number;
}

/**
 * Projects element embeddings W_E (`rows` = |G| rows, in the element order the irreps' matrices
 * follow; width d) on the span of each irrep's matrix entries and reports how concentrated the
 * non-trivial energy is, the analogue of `fourierAlignment` for a non-abelian group. By Schur
 * orthogonality the functions g ↦ √(d_ρ/|G|)·ρ(g)_ij of all irreps are an orthonormal basis of
 * R^|G| (Σ d_ρ² = |G|), so the energies sum to ‖W_E‖²_F. The trivial irrep's subspace holds the
 * column means; it is left out of the share as the constant frequency is in the Fourier one,
 * which makes the alignment that of the column-centred W_E.
 */
export function irrepAlignment(WE: ArrayLike<number>, rows: number, d: number, irreps: readonly Irrep[], topK = 1) {
  const dims = irreps.reduce((s, r) => s + r.dim * r.dim, 0);
  if (dims !== rows || irreps.some((r) => r.matrices.length !== rows)) {
    const why = `the irreps cover ${dims} dimensions and W_E has ${rows} rows`;
    throw new RangeError(`irrepAlignment: ${why}; give every irrep of the group on every row`);
  }
  const energy = irreps.map((irrep) => {
    const dim = irrep.dim;
    const scale = Math.sqrt(dim / rows);
    // For each entry (i, j): its coefficient on every embedding column, accumulated row by row.
    const coefficients = new Float64Array(dim * dim * d);
    for (let r = 0; r < rows; r++) {
      const m = irrep.matrices[r]!;
      for (let e = 0; e < dim * dim; e++) {
        const f = scale * m[e]!;
        if (f === 0) continue;
        for (let j = 0; j < d; j++) coefficients[e * d + j]! += f * WE[r * d + j]!;
      }
    }
    return coefficients.reduce((s, c) => s + c * c, 0);
  });
  const trivial = irreps.findIndex((r) => r.dim === 1 && r.matrices.every((m) => m[0] === 1));
  const candidates = [...irreps.keys()].filter((i) => i !== trivial).sort((a, b) => energy[b]! - energy[a]!);
  const keyIrreps = candidates.slice(0, Math.min(topK, candidates.length));
  const nonTrivial = candidates.reduce((s, i) => s + energy[i]!, 0);
  const top = keyIrreps.reduce((s, i) => s + energy[i]!, 0);
  const chance = keyIrreps.reduce((s, i) => s + irreps[i]!.dim ** 2, 0) / (rows - (trivial >= 0 ? 1 : 0));
  const out: IrrepAlignment = { alignment: nonTrivial > 0 ? top / nonTrivial : 0, keyIrreps, energy, chance };
  return out;
}
