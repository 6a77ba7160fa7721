import * as os from 'node:os';
import * as path from 'node:path';
import { Worker as NodeWorker, type TransferListItem, type WorkerOptions } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors';
import { WASM_THREAD_ERROR, WASM_THREAD_RESUME_HINT } from './threadWatchdog';

/**
 * Threads for the wasm backend under Node (docs/throughput.md).
 *
 * tfjs-backend-wasm 4.22 ships a threaded SIMD build whose XNNPACK thread pool splits each
 * matrix product into output tiles, but turns it off under Node (its
 * `WASM_HAS_MULTITHREAD_SUPPORT` flag answers false there, tfjs issue 3830) for three reasons
 * this file removes, before the backend initialises:
 *
 * 1. It loads the pthread worker script from a `blob:` URL, which `worker_threads` cannot load.
 *    Emscripten's glue assigns `global.Worker`; we hand it a Worker subclass that runs the same
 *    script text with `eval: true`, and points the module load at the threaded build's own file.
 * 2. Its pthread workers are `ref()`ed while a thread runs — the pool's threads never end, so a
 *    finished run's process would never exit. The subclass ignores `ref()`.
 * 3. It sizes the pool as half of `os.cpus().length` (assuming two hyperthreads per core), at
 *    most 4: one thread on a 2-core machine. We report twice the wanted count while it starts.
 *
 * Every output element of a product is computed by one thread in the same order as on one
 * thread, so results are bitwise those of the single-thread build (packages/core/test/
 * wasmThreads.test.ts checks a training run's metrics).
 */

/** The most threads tfjs-backend-wasm's pool accepts. */
export const MAX_WASM_THREADS = 4;

/** `auto`: one thread per core this process may use, at most MAX_WASM_THREADS. */
export function autoThreads(): number {
  return Math.max(1, Math.min(MAX_WASM_THREADS, os.availableParallelism()));
}

/**
 * Threads when nothing asks for more: one. On an idle 2-core machine two threads make a paper
 * step 1.1–1.2× faster and a quick step no faster; on a machine whose cores are busy with other
 * work the pool's threads wait on each other and a step gets 2–3× slower (docs/throughput.md).
 */
export const DEFAULT_WASM_THREADS = 1;

/**
 * Environment variables as `process.env` holds them, declared without Node's `NodeJS.ProcessEnv`
 * so that core's published types need no @types/node in a consumer.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Resolves a thread request (`auto`, a number, or the GROKSCOPE_THREADS variable) to a count. */
export function resolveThreads(requested?: number | 'auto', env: Environment = process.env): number {
  const value: unknown = requested ?? env.GROKSCOPE_THREADS ?? DEFAULT_WASM_THREADS;
  const field = requested === undefined && env.GROKSCOPE_THREADS !== undefined ? 'GROKSCOPE_THREADS' : 'threads';
  if (value === 'auto') return autoThreads();
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new ConfigError(
      field,
      `got ${JSON.stringify(value)}; give a whole number from 1 to ${MAX_WASM_THREADS}, or "auto" (one per core, now ${autoThreads()})`,
    );
  }
  return n;
}

let installed = false;

/**
 * Prepares the wasm backend to start `threads` threads. Call after the backend package is
 * loaded (it registers the flag) and before `tf.setBackend('wasm')`; returns a function that
 * undoes the temporary core count once the backend is ready.
 */
export function prepareWasmThreads(threads: number, wasmPackageMain: string): () => void {
  if (threads <= 1) return () => {};
  const wasmOut = path.join(path.dirname(wasmPackageMain), '..', 'wasm-out');
  installWorkerShim(
    path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js'),
    path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'),
  );
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  // The pool size is read once, while the module starts (reason 3 above), from the same module
  // object the glue requires (an `import * as` namespace is a read-only copy).
  const osModule = require('node:os') as { cpus: typeof os.cpus };
  const realCpus = osModule.cpus;
  const cpus = realCpus();
  osModule.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % Math.max(1, cpus.length)]!);
  return () => {
    osModule.cpus = realCpus;
  };
}

function installWorkerShim(threadedMainJs: string, workerScriptModule: string): void {
  if (installed) return;
  installed = true;
  // The worker script ships as a JS string; its `\n` escapes must survive being evaluated as code.
  const { wasmWorkerContents } = require(workerScriptModule) as { wasmWorkerContents: string };
  const source = wasmWorkerContents.replace(/\n/g, '\\n');

  class PthreadWorker extends NodeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      const isBlob = String(url).startsWith('blob:');
      super(isBlob ? source : url, isBlob ? { ...options, eval: true } : options);
      // A crashed pthread would leave the main thread waiting for it inside a kernel: fail loudly.
      this.on('error', (err) => {
        process.stderr.write(
          `grokscope: a wasm backend thread failed (${WASM_THREAD_ERROR}): ${err instanceof Error ? err.message : String(err)}. ${WASM_THREAD_RESUME_HINT}\n`,
        );
        process.exit(1);
      });
    }
    override ref(): void {
      // Reason 2 above: pool threads live as long as the process; they must not keep it alive.
    }
    override postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (m && m.cmd === 'load' && typeof m.urlOrBlob !== 'string') message = { ...m, urlOrBlob: threadedMainJs };
      super.postMessage(message, transfer as never);
    }
  }

  let assigned: unknown;
  // Emscripten's glue assigns global.Worker = worker_threads.Worker while it starts; it gets ours.
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => (assigned === undefined ? undefined : PthreadWorker),
    set: (v: unknown) => {
      assigned = v;
    },
  });
}

/** Threads the wasm backend runs with (1 when another backend is in use or it has not started). */
export function backendThreads(load: (id: string) => unknown = require): number {
  if (tf.getBackend() !== 'wasm') return 1;
  const wasm = load('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
  return wasm.getThreadsCount();
}
