import jStat from 'jstat';

export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic';

/**
 * Two-sided Mann–Whitney U test. U is sample a's statistic: (sum of a's ranks) − n_a(n_a+1)/2,
 * ties given average ranks. 'asymptotic': normal approximation with the tie correction and a
 * 0.5 continuity correction; 'exact': the permutation distribution of U (no ties allowed);
 * 'auto' (scipy's rule): exact when a sample has at most 8 values and there are no ties.
 */
export function mannWhitneyU(
  a: readonly number[],
  b: readonly number[],
  options: { method?: MannWhitneyMethod } = {},
): { U: number; p: number } {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0)
    throw new RangeError(`mannWhitneyU needs two non-empty samples, got ${na} and ${nb} values`);
  if ([...a, ...b].some((v) => Number.isNaN(v)))
    throw new RangeError('mannWhitneyU: a sample contains NaN; remove missing values first');
  const all = [...a.map((v) => ({ v, a: true })), ...b.map((v) => ({ v, a: false }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  const tieSizes: number[] = [];
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  const rankSumA = all.reduce((s, x, i) => (x.a ? s + ranks[i]! : s), 0);
  const U = rankSumA - (na * (na + 1)) / 2;
  const method = options.method ?? 'auto';
  const exact = method === 'exact' || (method === 'auto' && Math.min(na, nb) <= 8 && tieSizes.length === 0);
  if (exact) {
    if (tieSizes.length > 0)
      throw new RangeError("mannWhitneyU: the exact method needs samples without ties; use method 'asymptotic'");
    return { U, p: exactP(U, na, nb) };
  }
  const n = na + nb;
  const tie = tieSizes.reduce((s, t) => s + t ** 3 - t, 0);
  const sigma = Math.sqrt(((na * nb) / 12) * (n + 1 - tie / (n * (n - 1))));
  const mu = (na * nb) / 2;
  const z = (Math.max(U, na * nb - U) - mu - 0.5) / sigma;
  // Upper tail as the lower tail of −z: no cancellation when p is tiny.
  return { U, p: Math.min(1, 2 * jStat.normal.cdf(-z, 0, 1)) };
}

/** 2·P(U ≥ max(u, n_a·n_b − u)) under H0, counting arrangements (the distribution is symmetric). */
function exactP(u: number, na: number, nb: number): number {
  const counts = uDistribution(na, nb);
  const total = counts.reduce((s, c) => s + c, 0);
  const hi = Math.max(u, na * nb - u);
  let tail = 0;
  for (let k = Math.ceil(hi); k < counts.length; k++) tail += counts[k]!;
  return Math.min(1, (2 * tail) / total);
}

/** Number of arrangements with each U value: f(m, n) = f(m−1, n) shifted by n + f(m, n−1). */
function uDistribution(na: number, nb: number): number[] {
  let prev: number[][] = Array.from({ length: nb + 1 }, () => [1]); // m = 0: U = 0 for any n
  for (let m = 1; m <= na; m++) {
    const cur: number[][] = [[1]]; // n = 0
    for (let n = 1; n <= nb; n++) {
      const out = new Array<number>(m * n + 1).fill(0);
      prev[n]!.forEach((c, k) => (out[k + n]! += c));
      cur[n - 1]!.forEach((c, k) => (out[k]! += c));
      cur.push(out);
    }
    prev = cur;
  }
  return prev[nb]!;
}
