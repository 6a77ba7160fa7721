/**
 * `@grokscope/core`: what a user of the trainer needs — the `Trainer`, the plugin contract, the
 * backends, optimisers, the seeded RNG, the run store's reader and the named errors. What only
 * grokscope's own packages use is at `@grokscope/core/internal`; the tensor-free facts are also
 * at `@grokscope/core/facts`, and what runs without Node at `@grokscope/core/browser` (docs/packaging.md
 * § Entry points of core).
 */
import './backend/registerGradients';
export { backendMemoryLimit, BACKENDS, useBackend } from './backend/backend';
export type { BackendMemoryLimit, BackendName, UseBackendOptions } from './backend/backend';
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
export type { ShardPool, ShardPoolInit } from './parallel/shardPool';
export { WorkerShardPool, type ReplicaSource, type WorkerShardPoolOptions } from './parallel/workerShardPool';
export { probe, type ProbeOptions } from './probe';
export { regulariser, type RegulariserOptions } from './regulariser';
export { Rng, type RngState } from '@grokscope/base';
export { readMetrics } from './store/metricsLog';
export { MemoryRunStore } from './store/memoryRunStore';
export { RunStore, type Manifest, type Summary, type WriteGuard } from './store/runStore';
export type { TrainerStore } from './store/trainerStore';
export { tidyForward } from './tidyForward';
export { EvalStage } from './trainer/stages';
export { Trainer } from './trainer/nodeTrainer';
export type { RunDescription, TrainerOptions } from './trainer/trainer';
