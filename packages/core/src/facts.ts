/**
 * Facts that several packages need and only this module states (docs/architecture.md § Who owns
 * which fact): the backend names, the default optimiser, the event thresholds, the metric tags
 * of the built-in probes and what makes a run finished. Everything else imports them from here
 * (`@grokscope/core`, or `@grokscope/core/facts` without loading TensorFlow.js).
 * `packages/cli/test/oneOwner.test.ts` fails when one of these literals is written anywhere else.
 *
 * This module imports nothing. Analysis may not import core, so it keeps a reader-side copy
 * (`packages/analysis/src/facts.ts`); `packages/cli/src/runRecordTypes.ts` (at compile time)
 * and the test above check that the copy equals these.
 */

/** Tensor backends, by the name a config gives. */
export const BACKENDS = ['wasm', 'cpu', 'tensorflow'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** The backend used when none is named: embedded WebAssembly (SIMD, offline). */
export const DEFAULT_BACKEND = 'wasm' satisfies BackendName;
/** The backend that runs native TensorFlow (limited by RAM, not by 32-bit memory). */
export const NATIVE_BACKEND = 'tensorflow' satisfies BackendName;

/** Optimisers, by the name a config gives. */
export const OPTIMIZERS = ['adamw', 'adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The optimiser of a run that names none: the study's full-batch AdamW. */
export const DEFAULT_OPTIMIZER: {
  readonly name: OptimizerName;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
} = Object.freeze({ name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 1 });

/**
 * Accuracies that count as the events of a run: memorised (train accuracy) and grokked (test
 * accuracy). The trainer's `summary.json`, the config's defaults, `stopAfterGrokked` and the
 * forecast command use these.
 */
export const DEFAULT_THRESHOLDS = Object.freeze({ memorised: 0.99, grokked: 0.95 } as const);

/** The spectral-entropy probe's default metric prefix: it writes `<prefix>/H`, `<prefix>/Hn`, … */
export const ENTROPY_TAG_PREFIX = 'entropy';

/** Metric tags the built-in probes write and the trainer, the CLI and analysis read. */
export const METRIC_TAGS = Object.freeze({
  /** Train accuracy (accuracy probe). */
  accuracyTrain: 'accuracy/train',
  /** Test accuracy (accuracy probe). */
  accuracyTest: 'accuracy/test',
  /** Train cross-entropy (accuracy probe). */
  lossTrain: 'loss/train',
  /** Test cross-entropy (accuracy probe). */
  lossTest: 'loss/test',
  /** H̃, the normalised spectral entropy (spectral-entropy probe, default prefix `ENTROPY_TAG_PREFIX`). */
  entropyHn: 'entropy/Hn',
  /** Total L2 norm of the parameters (norms probe). */
  normWeights: 'norm/weights',
  /** Mean row norm of `resid_final` over all pairs (norms probe). */
  normRepr: 'norm/repr',
  /** Fourier alignment of the embeddings (fourier probe, cyclic tasks). */
  fourierAlignment: 'fourier/alignment',
} as const);

/**
 * Whether a run has nothing left to do for a step cap of `cap`: its summary says `stopped` (a
 * `shouldStop` rule ended it; resuming would train past where it chose to stop), or `completed`
 * at `cap` steps or more. A run completed at a smaller cap is unfinished for a larger one.
 */
export function isFinished(summary: { readonly status: string; readonly steps: number } | null | undefined, cap: number): boolean {
  if (!summary) return false;
  return summary.status === 'stopped' || (summary.status === 'completed' && summary.steps >= cap);
}
