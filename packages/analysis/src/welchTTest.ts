import { jStat } from 'jstat';
import { mean, variance } from './describe';

/** Two-sided Welch t-test: t, Welch–Satterthwaite df, p. */
export function welchTTest(a: readonly number[], b: readonly number[]): { t: number; df: number; p: number } {
  if (a.length < 2 || b.length < 2) throw new RangeError(`welchTTest needs at least 2 values per sample, got ${a.length} and ${b.length}`);
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const t = (mean(a) - mean(b)) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const p = 2 * (1 - jStat.studentt.cdf(Math.abs(t), df));
  return { t, df, p: Math.min(1, p) };
}
