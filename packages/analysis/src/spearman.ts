/** Ranks 1..n of `x`, ties given the average of the ranks they span (x = [10, 20, 20, 30] → [1, 2.5, 2.5, 4]). */
export function averageRanks(x: readonly number[]): number[] {
  if (x.some((v) => Number.isNaN(v)))
    throw new RangeError('averageRanks: the sample contains NaN; remove missing values first');
  const order = x.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.v === order[i]!.v) j++;
    for (let k = i; k <= j; k++) ranks[order[k]!.i] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/**
 * Spearman's rank correlation: the Pearson correlation of the average ranks of `x` and `y`
 * (so ties are handled exactly, as scipy.stats.spearmanr does). Null when it is undefined:
 * fewer than 2 pairs, or either sample constant.
 */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError(`spearman: x has ${x.length} values, y has ${y.length}`);
  if (x.length < 2) return null;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const m = (x.length + 1) / 2; // the mean of any set of average ranks 1..n
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = rx[i]! - m;
    const dy = ry[i]! - m;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
