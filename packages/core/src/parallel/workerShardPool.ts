import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConfigError, GrokscopeError } from '../errors';
import type { ShardPool, ShardPoolInit } from './shardPool';

/**
 * Where a helper gets its replica of the model: a module it loads and a function it calls with
 * `options` (JSON), which returns the model (or a promise of it) built exactly as the run's own,
 * its parameters named and shaped the same. The CLI points at its own `replicaModel`; a program
 * of its own points at a module that builds its model.
 */
export interface ReplicaSource {
  /** Absolute path (or package name) of the module. */
  readonly module: string;
  /** The function to call; default `default`. */
  readonly export?: string;
  readonly options?: unknown;
}

export interface WorkerShardPoolOptions {
  /** Helper threads (a run on N workers has N − 1 helpers beside the trainer's thread). */
  readonly helpers: number;
  readonly replica: ReplicaSource;
  /** Backend the helpers use: the run's (each on one wasm thread). */
  readonly backend: string;
}

/** The named error of a helper thread that fails or dies, and what to do about it. */
export const SHARD_WORKER_ERROR = 'E_SHARD_WORKER';
export const SHARD_WORKER_RESUME_HINT =
  'Everything already logged is kept; run the same command again to resume (--workers 1 computes every shard on one thread).';

/** What a helper posts back. */
type Reply =
  | { kind: 'ready' }
  | { kind: 'done'; step: number }
  | { kind: 'error'; message: string; code?: string; field?: string };

interface Helper {
  readonly worker: Worker;
  /** Its number among the run's workers: the trainer's thread is worker 1. */
  readonly number: number;
  /** The reply this helper owes: resolved by its next message, rejected if it dies first. */
  pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  /** Set once the helper has exited: any later request fails with this. */
  dead: Error | undefined;
}

/**
 * Node's `ShardPool`: one `worker_threads` Worker per helper, each with its own TensorFlow.js
 * backend and replica of the model (docs/throughput.md § Every core on one run). A helper that
 * throws or exits ends the step with `E_SHARD_WORKER`, naming the helper and the step, as the
 * wasm pool's watchdog does for its threads: the trainer's thread is never blocked waiting on
 * one (it awaits a message), so it learns of a dead helper at once.
 */
export class WorkerShardPool implements ShardPool {
  readonly helpers: number;
  readonly #options: WorkerShardPoolOptions;
  #running: Helper[] = [];
  #step = 0;

  constructor(options: WorkerShardPoolOptions) {
    if (!Number.isInteger(options.helpers) || options.helpers < 1)
      throw new ConfigError('workers', `a pool needs at least one helper thread, got ${options.helpers}`);
    this.helpers = options.helpers;
    this.#options = options;
  }

  async start(init: ShardPoolInit): Promise<void> {
    const script = workerScript();
    const ready: Promise<Reply>[] = [];
    for (let i = 0; i < this.helpers; i++) {
      const worker = new Worker(script, {
        workerData: {
          backend: this.#options.backend,
          replica: this.#options.replica,
          layout: init.layout,
          buffers: init.buffers,
          shards: init.shards,
          train: init.train,
          numClasses: init.numClasses,
        },
        // A helper's own output goes to the run's stderr; its heap is its own.
        stderr: false,
        stdout: false,
      });
      const helper: Helper = { worker, number: i + 2, pending: undefined, dead: undefined };
      worker.on('message', (r: Reply) => {
        const p = helper.pending;
        helper.pending = undefined;
        p?.resolve(r);
      });
      worker.on('error', (err) => this.#died(helper, `threw ${err instanceof Error ? err.message : String(err)}`));
      worker.on('exit', (code) => this.#died(helper, `exited with code ${code}`));
      this.#running.push(helper);
      ready.push(this.#ask(helper));
    }
    const replies = await Promise.allSettled(ready);
    const failed = replies.find((r) => r.status === 'rejected');
    if (failed) {
      await this.close();
      throw failed.reason;
    }
    for (const r of replies) {
      const reply = (r as PromiseFulfilledResult<Reply>).value;
      if (reply.kind === 'error') {
        await this.close();
        throw replyError(reply, 'while building its replica of the model');
      }
    }
  }

  async step(step: number, batch: Int32Array | null, shards: readonly (readonly number[])[]): Promise<void> {
    this.#step = step;
    const replies = this.#running.map((helper, i) => {
      const reply = this.#ask(helper);
      helper.worker.postMessage({ kind: 'step', step, batch, shards: shards[i] ?? [] });
      return reply;
    });
    // Every helper answers (or dies) before the step ends: no helper is still writing the buffers.
    const settled = await Promise.allSettled(replies);
    for (const r of settled) {
      if (r.status === 'rejected') throw r.reason;
      if (r.value.kind === 'error') throw replyError(r.value, `at step ${step}`);
    }
  }

  async close(): Promise<void> {
    const running = this.#running;
    this.#running = [];
    for (const h of running) h.dead ??= new Error('closed');
    await Promise.all(running.map((h) => h.worker.terminate()));
  }

  #ask(helper: Helper): Promise<Reply> {
    if (helper.dead) return Promise.reject(helper.dead);
    return new Promise((resolve, reject) => {
      helper.pending = { resolve, reject };
    });
  }

  #died(helper: Helper, how: string): void {
    if (helper.dead) return;
    const at = this.#step > 0 ? ` at step ${this.#step}` : ' while starting';
    helper.dead = new GrokscopeError(
      SHARD_WORKER_ERROR,
      `shard worker ${helper.number} of ${this.helpers + 1} ${how}${at}. ${SHARD_WORKER_RESUME_HINT}`,
    );
    const p = helper.pending;
    helper.pending = undefined;
    p?.reject(helper.dead);
  }
}

function replyError(reply: { message: string; code?: string; field?: string }, when: string): Error {
  if (reply.code === 'E_CONFIG' && reply.field) return new ConfigError(reply.field, reply.message);
  return new GrokscopeError(
    reply.code && reply.code !== 'E_CONFIG' ? reply.code : SHARD_WORKER_ERROR,
    `a shard worker failed ${when}: ${reply.message}`,
  );
}

/** The compiled helper script: next to this file in dist, or dist's copy when core runs from its sources (ts-jest). */
function workerScript(): string {
  const here = path.join(__dirname, 'shardWorker.js');
  if (fs.existsSync(here)) return here;
  const built = path.join(__dirname, '..', '..', 'dist', 'parallel', 'shardWorker.js');
  if (fs.existsSync(built)) return built;
  throw new GrokscopeError('E_BUILD', `core's shard worker script is missing (${here}); run npm run build`);
}
