import './backend/registerGradients';
export {
  backendMemoryLimit,
  BACKENDS,
  useBackend,
  type UseBackendOptions,
  WASM_HEAP_MAX_BYTES,
  WASM_TENSOR_BYTES,
  type BackendMemoryLimit,
  type BackendName,
} from './backend/backend';
export { registerWasmFixes } from './backend/wasmFixes';
export { autoThreads, backendThreads, DEFAULT_WASM_THREADS, MAX_WASM_THREADS, resolveThreads } from './backend/wasmThreads';
export { DEFAULT_THREAD_STALL_SECONDS, threadStallSeconds } from './backend/threadWatchdog';
export { BackendUnavailableError, ConfigError, GrokscopeError, NonFiniteError, PluginError, RunStoreError, StorageError, UnknownTapError } from './errors';
export { DEFAULT_BACKEND, DEFAULT_THRESHOLDS, ENTROPY_TAG_PREFIX, isFinished, METRIC_TAGS, NATIVE_BACKEND, OPTIMIZERS, type OptimizerName } from './facts';
export { crossEntropy, crossEntropyPerExample } from './loss/crossEntropy';
export { Adam, type AdamOptions } from './optim/adam';
export { createOptimizer } from './optim/createOptimizer';
export type { NamedGradients, Optimizer, OptimizerConfig, OptimizerFactory } from './optim/optimizer';
export { Sgd } from './optim/sgd';
export type {
  Batch,
  Evaluation,
  Examples,
  ForwardRequest,
  ForwardResult,
  LossTerms,
  MetricsRecord,
  Model,
  ModelContext,
  ModelFactory,
  EventView,
  Plugin,
  PluginHost,
  PluginState,
  Split,
  RunEventName,
  RunInfo,
  StepContext,
  StepInfo,
  StepPlan,
  TrainerHooks,
  Subset,
  TapTransform,
  Task,
  TaskContext,
  TaskFactory,
} from './plugin';
export { Rng, type RngState } from './rng';
export { tidyForward } from './tidyForward';
export { writeFileAtomic } from './store/atomicFile';
export { decodeCheckpoint, encodeCheckpoint, type CheckpointData } from './store/checkpointFile';
export { diffConfigs } from './store/diffConfigs';
export { readMetrics } from './store/metricsLog';
export { RunStore, type Manifest, type Summary, type WriteGuard } from './store/runStore';
export type { RunEnd, RunStatus, TrainerEvents } from './trainer/events';
export { probe, type ProbeOptions } from './probe';
export { regulariser, type RegulariserOptions } from './regulariser';
export { createHooks } from './trainer/hooks';
export { EvalStage } from './trainer/stages';
export { DEFAULT_OPTIMIZER, type RunDescription, Trainer, type TrainerOptions } from './trainer/trainer';
export { optimizerConfigSchema } from './optim/optimizerSchema';
export { runCheckpointCodec, type RunCheckpoint, type RunIdentity } from './store/runCheckpoint';
