/**
 * Facts about training that several packages need and only this module states (docs/architecture.md
 * § Who owns which fact): the backend names and the default optimiser. The facts of the run
 * format — the event thresholds, the metric tags and what makes a run finished — belong to
 * `@grokscope/base`, which readers of runs (analysis, the dashboard) import without core; they are
 * re-exported here for core's users. `packages/cli/test/oneOwner.test.ts` fails when one of these
 * literals is written anywhere else.
 */
export { DEFAULT_THRESHOLDS, ENTROPY_TAG_PREFIX, isFinished, METRIC_TAGS } from '@grokscope/base';

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

export { PRESET_NOTES, PRESETS } from './presets';
export { runIdentity } from './runIdentity';
