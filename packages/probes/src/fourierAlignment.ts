export interface FourierAlignment {
  /** Share of non-constant energy in the top-K frequencies. */
  readonly alignment: number;
  /** The top-K frequencies (1..⌊p/2⌋), strongest first. */
  readonly keyFrequencies: number[];
  /** Energy per frequency, index k = frequency k (index 0 is the constant term). */
  readonly energy: number[];
}

/**
 * Projects element embeddings W_E (rows: elements standing for `residues` mod p; width d) on
 * the real Fourier basis of Z/pZ — row 0 = 1/√p, then unit-normalised cos(2πkx/p) and
 * sin(2πkx/p) for k = 1..⌊p/2⌋ — and reports how concentrated the non-constant energy is.
 */
export function fourierAlignment(
  WE: ArrayLike<number>,
  rows: number,
  d: number,
  p: number,
  residues: ArrayLike<number>,
  topK = 5,
): FourierAlignment {
  const half = Math.floor(p / 2);
  const energy = new Array<number>(half + 1).fill(0);
  const norm = Math.sqrt(2 / p);
  for (let k = 0; k <= half; k++) {
    for (let j = 0; j < d; j++) {
      let c = 0;
      let s = 0;
      for (let r = 0; r < rows; r++) {
        const x = residues[r]!;
        const w = WE[r * d + j]!;
        if (k === 0) c += w / Math.sqrt(p);
        else {
          const angle = (2 * Math.PI * k * x) / p;
          c += w * norm * Math.cos(angle);
          s += w * norm * Math.sin(angle);
        }
      }
      energy[k]! += c * c + s * s;
    }
  }
  const freqs = [...Array(half).keys()].map((i) => i + 1).sort((a, b) => energy[b]! - energy[a]!);
  const keyFrequencies = freqs.slice(0, Math.min(topK, half));
  const nonConstant = energy.slice(1).reduce((s, e) => s + e, 0);
  const top = keyFrequencies.reduce((s, k) => s + energy[k]!, 0);
  return { alignment: nonConstant > 0 ? top / nonConstant : 0, keyFrequencies, energy };
}
