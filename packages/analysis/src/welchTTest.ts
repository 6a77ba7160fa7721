import jStat from 'jstat';
import { mean, variance } from './describe';

/**
 * Two-sided Welch t-test of mean(a) = mean(b): t, the Welch–Satterthwaite df, p. When both
 * samples are constant the test is undefined and every field is NaN (as scipy returns).
 */
export function welchTTest(a: readonly number[], b: readonly number[]): { t: number; df: number; p: number } {
  if (a.length < 2 || b.length < 2)
    throw new RangeError(`welchTTest needs at least 2 values per sample, got ${a.length} and ${b.length}`);
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  if (va + vb === 0) return { t: NaN, df: NaN, p: NaN };
  const t = (mean(a) - mean(b)) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  // P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2): keeps relative precision for tiny p, where
  // 1 − cdf would cancel to a few digits.
  const p = jStat.ibeta(df / (df + t * t), df / 2, 0.5);
  return { t, df, p: Math.min(1, p) };
}
