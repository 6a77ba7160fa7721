import { crossingStep, entropySeries, type EventOptions, runEvents } from './events';
import { METRIC_TAGS } from '@grokscope/base';
import type { RunRecord } from './runReader';
import { PAPER_THRESHOLD } from './threshold';

export interface RunStoryOptions extends EventOptions {
  /** H̃* to measure t_cross against; omitted: the paper's (PAPER_THRESHOLD). */
  readonly threshold?: number;
}

/** One run's signal in numbers: what `grokscope train` prints at the end and its `done` event carries. */
export interface RunStory {
  /** First evaluated step with train accuracy ≥ the memorised threshold (null: not reached). */
  readonly tMem: number | null;
  /** H̃ at t_mem. */
  readonly hAtMem: number | null;
  /** The lowest H̃ of the run's evaluations, and the (first) step it was reached at. */
  readonly hMin: number | null;
  readonly hMinStep: number | null;
  /** H̃* used for t_cross, and where it came from: given by the caller (a config) or the paper's 0.61. */
  readonly threshold: number;
  readonly thresholdSource: 'given' | 'paper';
  /** t_cross(H̃*): the first evaluated step after t_mem with H̃ ≤ H̃* (crossingStep). */
  readonly tCross: number | null;
  /** First evaluated step with test accuracy ≥ the grokked threshold (null: censored). */
  readonly tGrok: number | null;
  /** t_grok − t_cross when both exist; negative when H̃ crossed only after the run grokked. */
  readonly lead: number | null;
  /** The highest train and test accuracy seen (what a run that never got there reached). */
  readonly peakTrain: number | null;
  readonly peakTest: number | null;
  /** The last evaluated step. */
  readonly lastStep: number | null;
}

/** The events of one run (runEvents, crossingStep) with the H̃ values that explain them (docs/science.md § Events). */
export function runStory(records: readonly RunRecord[], o: RunStoryOptions = {}): RunStory {
  const tag = o.entropyTag ?? METRIC_TAGS.entropyHn;
  const { tMem, tGrok } = runEvents(records, o);
  const threshold = o.threshold ?? PAPER_THRESHOLD;
  const tCross = crossingStep(records, threshold, tMem, tag);
  const hs = entropySeries(records, tag);
  const lowest = hs.reduce<{ step: number; h: number } | null>(
    (best, x) => (best === null || x.h < best.h ? x : best),
    null,
  );
  const peak = (metric: string) => {
    const xs = records.map((r) => r.metrics[metric]).filter((x): x is number => typeof x === 'number');
    return xs.length ? Math.max(...xs) : null;
  };
  return {
    tMem,
    hAtMem: tMem === null ? null : (hs.find((x) => x.step === tMem)?.h ?? null),
    hMin: lowest?.h ?? null,
    hMinStep: lowest?.step ?? null,
    threshold,
    thresholdSource: o.threshold === undefined ? 'paper' : 'given',
    tCross,
    tGrok,
    lead: tCross !== null && tGrok !== null ? tGrok - tCross : null,
    peakTrain: peak(METRIC_TAGS.accuracyTrain),
    peakTest: peak(METRIC_TAGS.accuracyTest),
    lastStep: records.length ? records[records.length - 1]!.step : null,
  };
}
