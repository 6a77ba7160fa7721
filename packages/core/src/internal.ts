/**
 * `@grokscope/core/internal`: what grokscope's own packages (the CLI, the bench, the packed-install
 * test) use of core's workings and a user does not need. No stability promise: these may change
 * in any release. Everything a user needs is in `@grokscope/core` (docs/packaging.md § Entry points of core).
 */
export { WASM_HEAP_MAX_BYTES, WASM_TENSOR_BYTES } from './backend/backend';
export { autoThreads, backendThreads, resolveThreads } from './backend/wasmThreads';
export { DEFAULT_WASM_THREADS, MAX_WASM_THREADS } from './backend/wasmThreads';
export { DEFAULT_THREAD_STALL_SECONDS, threadStallSeconds } from './backend/threadWatchdog';
export { writeFileAtomic } from './store/atomicFile';
export { decodeCheckpoint, encodeCheckpoint, type CheckpointData, type StoredTensor } from './store/checkpointFile';
export { diffConfigs } from './store/diffConfigs';
export { runCheckpointCodec, type RunCheckpoint, type RunIdentity } from './store/runCheckpoint';
export { SHARD_WORKER_ERROR } from './parallel/workerShardPool';
