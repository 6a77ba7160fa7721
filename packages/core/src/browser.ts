/**
 * `@grokscope/core/browser` (and `@grokscope/core` under a bundler's `browser` condition): the
 * trainer and everything it needs that runs without Node — hooks, plugins, optimisers, the loss,
 * the seeded RNG, the errors, an in-memory run store and the wasm backend's set-up for a page or a
 * Web Worker. It imports no `node:` module; the file store, the thread watchdog and the run lock
 * are in the Node entry (docs/packaging.md § Entry points of core).
 */
import './backend/registerGradients';
export { useBrowserBackend, type BrowserBackendOptions } from './backend/browserBackend';
export {
  BackendUnavailableError,
  ConfigError,
  GrokscopeError,
  NonFiniteError,
  PluginError,
  RunStoreError,
  StorageError,
  UnknownTapError,
} from './errors';
export { BACKENDS, type BackendName } from './facts';
export { DEFAULT_BACKEND, DEFAULT_OPTIMIZER, DEFAULT_THRESHOLDS, NATIVE_BACKEND, OPTIMIZERS } from './facts';
export type { OptimizerName } from './facts';
export { ENTROPY_TAG_PREFIX, isFinished, METRIC_TAGS } from './facts';
export { crossEntropy, crossEntropyPerExample } from './loss/crossEntropy';
export { Adam, type AdamOptions } from './optim/adam';
export { BUILT_IN_OPTIMIZER_KINDS, createOptimizer, optimizerKinds } from './optim/createOptimizer';
export { defineOptimizerKind, type OptimizerKindDescriptor } from './optim/optimizerKind';
export type { NamedGradients, Optimizer, OptimizerConfig, OptimizerFactory } from './optim/optimizer';
export { optimizerConfigSchema } from './optim/optimizerSchema';
export { Sgd } from './optim/sgd';
export type {
  Batch,
  Evaluation,
  EventView,
  Examples,
  ForwardRequest,
  ForwardResult,
  LossTerms,
  MetricsRecord,
  Model,
  ModelContext,
  ModelFactory,
  Plugin,
  PluginHost,
  PluginState,
  RunEnd,
  RunEventName,
  RunInfo,
  RunStatus,
  Split,
  StepContext,
  StepInfo,
  StepPlan,
  Subset,
  TapTransform,
  Task,
  TaskContext,
  TaskFactory,
  TrainerEvents,
  TrainerHooks,
} from './plugin';
export { probe, type ProbeOptions } from './probe';
export { regulariser, type RegulariserOptions } from './regulariser';
export { Rng, type RngState } from '@grokscope/base';
export { MemoryRunStore } from './store/memoryRunStore';
export type { Manifest, Summary, TrainerStore } from './store/trainerStore';
export type { WriteGuard } from './store/runStore';
export { tidyForward } from './tidyForward';
export { EvalStage } from './trainer/stages';
export { Trainer, type RunDescription, type TrainerOptions } from './trainer/trainer';
