import { mean, variance } from './describe';

/** (mean a − mean b) / pooled sd, with n − 1 denominators. */
export function cohensD(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0 || a.length + b.length < 3) {
    throw new RangeError(
      `cohensD needs non-empty samples with at least 3 values in all, got ${a.length} and ${b.length}`,
    );
  }
  const va = a.length > 1 ? variance(a) : 0;
  const vb = b.length > 1 ? variance(b) : 0;
  const pooled = ((a.length - 1) * va + (b.length - 1) * vb) / (a.length + b.length - 2);
  return (mean(a) - mean(b)) / Math.sqrt(pooled);
}
