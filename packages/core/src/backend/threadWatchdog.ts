import { Worker } from 'node:worker_threads';
import { ConfigError } from '../errors';
import { ARMED, heartbeatArmed, LAST, STEP, useHeartbeat } from './heartbeat';
import type { Environment } from './wasmThreads';

/**
 * A watchdog for the threaded wasm backend (docs/reliability.md § A wasm thread that dies).
 *
 * When one of the wasm pool's threads dies, the main thread does not learn of it: it is inside a
 * kernel, waiting on shared memory for the dead thread's share of a matrix product, and never
 * returns to the event loop where the thread's `exit` event would be delivered. So a second
 * thread, which the main thread cannot block, watches the training loop's heartbeat (the
 * trainer beats after every step, evaluation and checkpoint). When no beat comes for
 * `GROKSCOPE_THREAD_STALL_S` seconds, it writes the named error E_WASM_THREAD to stderr and ends
 * the process with SIGKILL: the only way out, since the main thread cannot run an exit handler.
 * Every metrics line and checkpoint is already durable when it is written (appended and fsynced,
 * or written atomically), so nothing logged is lost and the same command resumes the run.
 *
 * Between runs (and before a run's first step) the watchdog is disarmed: setup, restoring a
 * checkpoint and writing a report are not steps.
 */

/** The named error of a wasm pool thread that fails or dies, here and in wasmThreads.ts's pool. */
export const WASM_THREAD_ERROR = 'E_WASM_THREAD';
/** What a user does about it: the same command resumes, and one thread needs no pool. */
export const WASM_THREAD_RESUME_HINT =
  'Everything already logged is kept; run the same command again to resume (add --threads 1 to train on one thread).';

/** Seconds without a heartbeat before a threaded run is ended, unless GROKSCOPE_THREAD_STALL_S says otherwise. */
export const DEFAULT_THREAD_STALL_SECONDS = 300;

/** The stall limit from GROKSCOPE_THREAD_STALL_S (seconds, may be fractional), or the default. */
export function threadStallSeconds(env: Environment = process.env): number {
  const raw = env.GROKSCOPE_THREAD_STALL_S;
  if (raw === undefined || raw === '') return DEFAULT_THREAD_STALL_SECONDS;
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0) {
    throw new ConfigError(
      'GROKSCOPE_THREAD_STALL_S',
      `got ${JSON.stringify(raw)}; give the seconds a threaded run may go without finishing a step, a number > 0 (default ${DEFAULT_THREAD_STALL_SECONDS})`,
    );
  }
  return s;
}

/**
 * The watcher's own code, run as an eval'd worker so it needs no file next to the compiled one.
 * It polls a few times per limit; `fs.writeSync(2)` reaches stderr directly (a worker's
 * `process.stderr` goes through the blocked main thread).
 */
const WATCHER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { buffer, stallMs, threads } = workerData;
const beat = new BigInt64Array(buffer);
const every = Math.max(50, Math.min(1000, stallMs / 4));
setInterval(() => {
  if (Atomics.load(beat, ${ARMED}) !== 1n) return;
  const idle = Date.now() - Number(Atomics.load(beat, ${LAST}));
  if (idle < stallMs) return;
  const step = Number(Atomics.load(beat, ${STEP}));
  fs.writeSync(2, 'grokscope: no training progress for ' + (idle / 1000).toFixed(1) + ' s after step ' + step + ' on ' + threads +
    ' wasm threads (${WASM_THREAD_ERROR}): a pool thread has most likely died, leaving the main thread waiting on it inside a kernel. ' +
    ${JSON.stringify(WASM_THREAD_RESUME_HINT + ' ')} +
    'If steps here legitimately take longer, raise GROKSCOPE_THREAD_STALL_S (now ' + stallMs / 1000 + ').\\n');
  process.kill(process.pid, 'SIGKILL');
}, every);
`;

/**
 * Starts the watcher for a backend running `threads` wasm threads (once per process; the pool is
 * fixed once started). It does not keep the process alive.
 */
export function startThreadWatchdog(threads: number, stallSeconds: number = threadStallSeconds()): void {
  if (heartbeatArmed() || threads <= 1) return;
  const buffer = new SharedArrayBuffer(3 * BigInt64Array.BYTES_PER_ELEMENT);
  useHeartbeat(new BigInt64Array(buffer));
  const watcher = new Worker(WATCHER_SOURCE, {
    eval: true,
    workerData: { buffer, stallMs: stallSeconds * 1000, threads },
  });
  watcher.unref();
}

export { disarmHeartbeat, heartbeat } from './heartbeat';
