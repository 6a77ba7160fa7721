/** Mean of a sample. */
export function mean(x: readonly number[]): number {
  return x.reduce((s, v) => s + v, 0) / x.length;
}

/** Sample variance (n − 1 denominator). */
export function variance(x: readonly number[]): number {
  const m = mean(x);
  return x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1);
}

/** Linear-interpolation quantile (type 7, numpy's default). */
export function quantile(x: readonly number[], q: number): number {
  if (x.length === 0) throw new RangeError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must lie in [0, 1], got ${q}`);
  const s = [...x].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}

export interface Spread {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  /** sd / |mean|; null when the mean is 0. */
  readonly cv: number | null;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** n, mean, sd (n − 1), cv, min, median, max; null for an empty sample. */
export function spread(x: readonly number[]): Spread | null {
  if (x.length === 0) return null;
  const m = mean(x);
  const sd = x.length > 1 ? Math.sqrt(variance(x)) : 0;
  return {
    n: x.length,
    mean: m,
    sd,
    cv: m !== 0 ? sd / Math.abs(m) : null,
    min: Math.min(...x),
    median: quantile(x, 0.5),
    max: Math.max(...x),
  };
}
