import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { CovarianceAccumulator } from './covarianceAccumulator';

export interface SpectralEntropy {
  /** −Σ p_i ln p_i over the covariance eigenvalues, p_i = λ_i/Σλ. */
  readonly H: number;
  /** H / ln d, in [0, 1]. */
  readonly Hn: number;
  /** exp(H). */
  readonly effectiveRank: number;
  /** (Σλ)² / Σλ². */
  readonly participationRatio: number;
  /** λ_max / Σλ. */
  readonly topShare: number;
}

/** Eigenvalues of a symmetric d×d matrix (row-major), negatives clipped to 0. */
export function symmetricEigenvalues(c: ArrayLike<number>, d: number): number[] {
  const rows = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => c[i * d + j]!));
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  return eig.realEigenvalues.map((x) => Math.max(0, x));
}

/** The entropy measures of a covariance spectrum, d = the representation width (docs/science.md § Spectral entropy). */
export function entropyOfSpectrum(eigenvalues: readonly number[], d: number): SpectralEntropy {
  const total = eigenvalues.reduce((s, x) => s + x, 0);
  if (!(total > 0)) return { H: 0, Hn: 0, effectiveRank: 1, participationRatio: 1, topShare: 1 };
  let H = 0;
  let sq = 0;
  let top = 0;
  for (const l of eigenvalues) {
    const p = l / total;
    if (p > 0) H -= p * Math.log(p);
    sq += l * l;
    top = Math.max(top, l);
  }
  return {
    H,
    Hn: d > 1 ? H / Math.log(d) : 0,
    effectiveRank: Math.exp(H),
    participationRatio: (total * total) / sq,
    topShare: top / total,
  };
}

/**
 * Spectral entropy of the covariance of Z (n rows of width d, row-major): C = Z_cᵀZ_c/(n−1),
 * eigenvalues clipped at 0, H = −Σ p ln p, H̃ = H / ln d (docs/science.md § Spectral entropy).
 */
export function spectralEntropy(Z: ArrayLike<number>, n: number, d: number): SpectralEntropy {
  if (Z.length !== n * d) throw new RangeError(`spectralEntropy: Z has ${Z.length} values, expected n·d = ${n}·${d}`);
  const acc = new CovarianceAccumulator(d);
  acc.add(Z, n);
  return entropyOfSpectrum(symmetricEigenvalues(acc.covariance(), d), d);
}
