import { DEFAULT_THRESHOLDS, METRIC_TAGS } from '@grokscope/base';
import type { RunRecord } from './runReader';

export interface EventOptions {
  /** Train accuracy that counts as memorised (default 0.99). */
  readonly memorised?: number;
  /** Test accuracy that counts as grokked (default 0.95). */
  readonly grokked?: number;
  /** Metric tag of H̃ (default `entropy/Hn`). */
  readonly entropyTag?: string;
}

export interface RunEvents {
  readonly tMem: number | null;
  readonly tGrok: number | null;
  /** Never reached the grokking threshold: reported, never silently dropped. */
  readonly censored: boolean;
}

/** t_mem and t_grok: the first evaluated steps at or above the thresholds (docs/science.md § Events). */
export function runEvents(records: readonly RunRecord[], o: EventOptions = {}): RunEvents {
  const mem = o.memorised ?? DEFAULT_THRESHOLDS.memorised;
  const grok = o.grokked ?? DEFAULT_THRESHOLDS.grokked;
  const tMem = records.find((r) => (r.metrics[METRIC_TAGS.accuracyTrain] ?? -1) >= mem)?.step ?? null;
  const tGrok = records.find((r) => (r.metrics[METRIC_TAGS.accuracyTest] ?? -1) >= grok)?.step ?? null;
  return { tMem, tGrok, censored: tGrok === null };
}

/**
 * t_cross(h): the first evaluated step after t_mem with H̃ ≤ h (null if none). The paper writes
 * H̃ < h (docs/science.md § Events); with H̃* = max_r m_r, the run whose minimum sets H̃* reaches it exactly, so the
 * strict form would make "every run crossed H̃*" false by construction. We count reaching it.
 */
export function crossingStep(
  records: readonly RunRecord[],
  h: number,
  tMem: number | null,
  entropyTag: string = METRIC_TAGS.entropyHn,
): number | null {
  if (tMem === null) return null;
  return records.find((r) => r.step > tMem && (r.metrics[entropyTag] ?? Infinity) <= h)?.step ?? null;
}

/** (step, H̃) pairs of the records that carry H̃. */
export function entropySeries(
  records: readonly RunRecord[],
  entropyTag: string = METRIC_TAGS.entropyHn,
): { step: number; h: number }[] {
  return records
    .filter((r) => typeof r.metrics[entropyTag] === 'number')
    .map((r) => ({ step: r.step, h: r.metrics[entropyTag]! }));
}
