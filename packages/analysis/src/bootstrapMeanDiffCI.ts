import { quantile } from './describe';
import { seededRandom } from './seededRandom';

/** Seeded percentile bootstrap interval for mean(a) − mean(b). */
export function bootstrapMeanDiffCI(
  a: readonly number[],
  b: readonly number[],
  options: { resamples?: number; seed?: number; level?: number } = {},
): { low: number; high: number } {
  const resamples = options.resamples ?? 10000;
  const level = options.level ?? 0.95;
  const rand = seededRandom(options.seed ?? 0);
  const draw = (x: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[Math.floor(rand() * x.length)]!;
    return s / x.length;
  };
  const diffs = Array.from({ length: resamples }, () => draw(a) - draw(b));
  const alpha = (1 - level) / 2;
  return { low: quantile(diffs, alpha), high: quantile(diffs, 1 - alpha) };
}
