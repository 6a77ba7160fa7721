/**
 * The reader's side of the facts core owns (`packages/core/src/facts.ts`; docs/architecture.md
 * § Who owns which fact). Analysis may import neither core nor any tensor library, so it states
 * what it reads here, once, and every analysis module imports it from this file.
 * `packages/cli/src/runRecordTypes.ts` stops compiling, and `packages/cli/test/oneOwner.test.ts`
 * fails, when these differ from core's.
 */

/** Default accuracies of the events: t_mem (train accuracy ≥ memorised), t_grok (test accuracy ≥ grokked). */
export const DEFAULT_THRESHOLDS = Object.freeze({ memorised: 0.99, grokked: 0.95 } as const);

/** Metric tags of the built-in probes, as written in `metrics.jsonl`. */
export const METRIC_TAGS = Object.freeze({
  accuracyTrain: 'accuracy/train',
  accuracyTest: 'accuracy/test',
  lossTrain: 'loss/train',
  lossTest: 'loss/test',
  entropyHn: 'entropy/Hn',
  normWeights: 'norm/weights',
  normRepr: 'norm/repr',
  fourierAlignment: 'fourier/alignment',
} as const);

/**
 * Summary statuses of a run that ended on its own terms: up to its step cap, or by a stop rule.
 * (Core's `isFinished(summary, cap)` also asks a completed run to have reached the cap; analysis
 * reads runs without their cap, and a run only writes `completed` at its cap.)
 */
export const FINISHED_STATUSES: readonly string[] = Object.freeze(['completed', 'stopped']);
