import { quantile } from './describe';
import { seededRandom } from './seededRandom';

/** The interval's default coverage (not an event threshold: the same number, another fact). */
export const DEFAULT_CI_LEVEL = 0.95;

export interface BootstrapOptions {
  /** Number of resamples (default 10,000). */
  readonly resamples?: number;
  /** PRNG seed (default 0): the same seed gives the same interval. */
  readonly seed?: number;
  /** Coverage (default 0.95). */
  readonly level?: number;
}

/**
 * Seeded percentile bootstrap interval for mean(a) − mean(b): each resample draws a and b with
 * replacement, independently; the bounds are the (1 ± level)/2 quantiles (type 7) of the
 * resampled differences.
 */
export function bootstrapMeanDiffCI(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = {},
): { low: number; high: number } {
  const resamples = options.resamples ?? 10000;
  const level = options.level ?? DEFAULT_CI_LEVEL;
  if (a.length === 0 || b.length === 0)
    throw new RangeError(`bootstrapMeanDiffCI needs two non-empty samples, got ${a.length} and ${b.length} values`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`bootstrapMeanDiffCI: resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1))
    throw new RangeError(`bootstrapMeanDiffCI: level must lie in (0, 1), got ${level}; 0.95 is a 95% interval`);
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
