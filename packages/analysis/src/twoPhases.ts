import type { EventOptions } from './events';
import { runEvents } from './events';
import { METRIC_TAGS } from '@grokscope/base';
import type { RunRecord } from './runReader';

export interface TwoPhaseResult {
  /** Step of the largest `norm/weights` at or before t_grok (the end of norm growth). */
  readonly normPeak: number | null;
  /**
   * Onset of entropy decline: the first step after the pre-collapse peak of H̃ (its maximum
   * up to t_grok, or over the whole run if censored) where H̃ has fallen by 10% of the
   * pre-collapse range (the peak minus the lowest H̃ after it, up to t_grok).
   */
  readonly collapseOnset: number | null;
  /** normPeak < collapseOnset (null when either is missing). */
  readonly normFirst: boolean | null;
}

/** The two phases of one run (docs/science.md § Two phases). */
export function twoPhases(records: readonly RunRecord[], o: EventOptions = {}): TwoPhaseResult {
  const tag = o.entropyTag ?? METRIC_TAGS.entropyHn;
  const { tGrok } = runEvents(records, o);
  const window = records.filter((r) => tGrok === null || r.step <= tGrok);
  const norms = window.filter((r) => typeof r.metrics[METRIC_TAGS.normWeights] === 'number');
  let normPeak: number | null = null;
  let best = -Infinity;
  for (const r of norms)
    if (r.metrics[METRIC_TAGS.normWeights]! > best) [best, normPeak] = [r.metrics[METRIC_TAGS.normWeights]!, r.step];
  const hs = window.filter((r) => typeof r.metrics[tag] === 'number');
  let collapseOnset: number | null = null;
  if (hs.length >= 2) {
    let peakIdx = 0;
    hs.forEach((r, i) => {
      if (r.metrics[tag]! > hs[peakIdx]!.metrics[tag]!) peakIdx = i;
    });
    const peak = hs[peakIdx]!.metrics[tag]!;
    const low = Math.min(...hs.slice(peakIdx).map((r) => r.metrics[tag]!));
    const range = peak - low;
    if (range > 0) collapseOnset = hs.slice(peakIdx).find((r) => r.metrics[tag]! <= peak - 0.1 * range)?.step ?? null;
  }
  return {
    normPeak,
    collapseOnset,
    normFirst: normPeak !== null && collapseOnset !== null ? normPeak < collapseOnset : null,
  };
}
