import { mean, variance } from './describe';

/** (mean a − mean b) / pooled sd, with n − 1 denominators. */
export function cohensD(a: readonly number[], b: readonly number[]): number {
  const pooled = ((a.length - 1) * variance(a) + (b.length - 1) * variance(b)) / (a.length + b.length - 2);
  return (mean(a) - mean(b)) / Math.sqrt(pooled);
}
