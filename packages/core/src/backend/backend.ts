import { constants as bufferConstants } from 'node:buffer';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError, ConfigError } from '../errors';
import { BACKENDS, type BackendName, DEFAULT_BACKEND } from '../facts';
import { registerWasmFixes } from './wasmFixes';
import { startThreadWatchdog, threadStallSeconds } from './threadWatchdog';
import { backendThreads, prepareWasmThreads, resolveThreads } from './wasmThreads';

export { BACKENDS, type BackendName };

/** The native packages tried, in order, for the `tensorflow` backend. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export interface UseBackendOptions {
  /**
   * Threads for the wasm backend: a number from 1 to 4, or `auto` (one per core). Default: the
   * GROKSCOPE_THREADS variable when set, else 1. Results do not depend on it (docs/throughput.md).
   * The wasm backend starts once per process: the first call's count stays.
   */
  readonly threads?: number | 'auto';
  /** Module loader (tests pass one that fails). */
  readonly load?: (id: string) => unknown;
}

/**
 * Selects and initialises a TensorFlow.js backend by name: `wasm` (embedded default, SIMD,
 * offline, threaded), `cpu` (pure JS, tiny tests only), `tensorflow` (native libtensorflow
 * through an optional peer). Returns the backend name TensorFlow.js reports.
 */
export async function useBackend(
  name: string = DEFAULT_BACKEND,
  options: UseBackendOptions | ((id: string) => unknown) = {},
): Promise<BackendName> {
  const { threads, load = require } = typeof options === 'function' ? { threads: undefined, load: options } : options;
  if (!(BACKENDS as readonly string[]).includes(name)) {
    throw new ConfigError('backend', `unknown backend "${name}"; choose one of ${BACKENDS.join(', ')}`);
  }
  const backend = name as BackendName;
  let started = () => {};
  let stallSeconds = 0;
  if (backend === 'wasm') {
    load('@tensorflow/tfjs-backend-wasm');
    registerWasmFixes();
    if (!wasmStarted) {
      const count = resolveThreads(threads);
      if (count > 1) stallSeconds = threadStallSeconds(); // a bad value is an error before the backend starts
      started = prepareWasmThreads(count, require.resolve('@tensorflow/tfjs-backend-wasm'));
    }
    wasmStarted = true;
  } else if (backend === 'cpu') {
    load('@tensorflow/tfjs-backend-cpu');
  } else {
    loadNative(load);
  }
  const registered = backend === 'tensorflow' ? 'tensorflow' : backend;
  try {
    const ok = await tf.setBackend(registered);
    if (!ok) throw new BackendUnavailableError(`the ${backend} backend failed to initialise`);
    await tf.ready();
  } finally {
    started();
  }
  // A pool thread that dies leaves the main thread blocked in a kernel: a watcher on another thread ends the run (threadWatchdog.ts).
  const running = backendThreads();
  if (stallSeconds > 0 && running > 1) startThreadWatchdog(running, stallSeconds);
  return backend;
}
/** The wasm backend's thread pool is fixed when it first starts (tfjs keeps one instance). */
let wasmStarted = false;

function loadNative(load: (id: string) => unknown): void {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      load(pkg);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'MODULE_NOT_FOUND') {
        throw new BackendUnavailableError(`${pkg} is installed but failed to load: ${(err as Error).message}`, {
          cause: err,
        });
      }
      failures.push(pkg);
    }
  }
  throw new BackendUnavailableError(
    `the "tensorflow" backend needs ${failures.join(' or ')} (native libtensorflow). ` +
      `Install one with \`npm install @tensorflow/tfjs-node@${tf.version_core}\` ` +
      `(or @tensorflow/tfjs-node-gpu@${tf.version_core} with CUDA), or use --backend wasm.`,
  );
}

/**
 * The wasm backend's memory is one 32-bit WebAssembly memory: tfjs-backend-wasm 4.22.0 declares
 * at most 65,536 pages and its heap grows to at most 4 GiB − 64 KiB (`getHeapMax`), shared by
 * every tensor, the allocator's bookkeeping and the kernels' scratch space.
 */
export const WASM_HEAP_MAX_BYTES = 4294901760;

/**
 * Peak tensor bytes (models' `estimateMemory`) a run may need on wasm. Measured (docs/limits.md):
 * the paper model (d_model 128, d_mlp 512, train fraction 0.3) gets through one training step
 * and one evaluation at modulus 433 (estimate 3.88 GB) and aborts at 443 (estimate 4.12 GB),
 * when the heap cannot grow further; fragmentation and the kernels' temporaries take the rest
 * of the 4 GiB.
 */
export const WASM_TENSOR_BYTES = 3.9e9;

/** How much tensor memory a backend can give one run, and how long one tensor may be. */
export interface BackendMemoryLimit {
  readonly backend: BackendName;
  /** Most bytes of tensors alive at once (compare with models' estimateMemory(...).bytes). */
  readonly bytes: number;
  /** Most elements in one tensor; null when the backend sets no limit of its own. */
  readonly tensorElements: number | null;
  /** Where the limits come from, for messages. */
  readonly why: string;
}

/**
 * The memory limit of a backend, known before it loads: `wasm` is capped by 32-bit WebAssembly
 * memory; `cpu` keeps each tensor in one JS typed array (at most buffer.constants.MAX_LENGTH
 * elements, 2^32 on 64-bit Node 20) in this machine's RAM; `tensorflow` (native) is bounded by
 * this machine's RAM (`os.totalmem()`).
 */
export function backendMemoryLimit(backend: string, totalMemory: number = os.totalmem()): BackendMemoryLimit {
  const ram = `${(totalMemory / 1e9).toFixed(1)} GB of RAM on this machine`;
  switch (backend) {
    case 'wasm':
      return {
        backend,
        bytes: WASM_TENSOR_BYTES,
        tensorElements: Math.floor(WASM_TENSOR_BYTES / 4),
        why: `WebAssembly memory is 32-bit: the wasm heap stops at 4 GiB, of which about ${(WASM_TENSOR_BYTES / 1e9).toFixed(2)} GB can hold tensors (measured)`,
      };
    case 'cpu':
      return {
        backend,
        bytes: totalMemory,
        tensorElements: bufferConstants.MAX_LENGTH,
        why: `the cpu backend keeps each tensor in one JavaScript typed array (at most ${bufferConstants.MAX_LENGTH} elements) and all of them in the ${ram}`,
      };
    case 'tensorflow':
      return {
        backend,
        bytes: totalMemory,
        tensorElements: null,
        why: `native TensorFlow holds its tensors in the ${ram}`,
      };
    default:
      throw new ConfigError('backend', `unknown backend "${backend}"; choose one of ${BACKENDS.join(', ')}`);
  }
}
