import type { ShardBuffers, ShardLayout } from './shardLayout';

/**
 * Threads that compute shards of a data-parallel step beside the trainer's own thread
 * (docs/throughput.md § Every core on one run). The trainer only sees this interface, so it runs
 * where no worker threads exist (a browser); Node's implementation is `WorkerShardPool`.
 */
export interface ShardPool {
  /** Threads besides the trainer's own (a pool of one extra thread for two workers). */
  readonly helpers: number;
  /**
   * Starts the helpers with what every step needs: the parameter layout, the shared buffers, the
   * training examples and the shard count. Rejects with a named error when a helper cannot start.
   */
  start(init: ShardPoolInit): Promise<void>;
  /**
   * Each helper computes its shards of one step (`shards[h]` for helper h) from the parameters
   * in the shared buffer, writing their gradients and losses there. Rejects with a named error
   * when a helper fails or dies.
   */
  step(step: number, batch: Int32Array | null, shards: readonly (readonly number[])[]): Promise<void>;
  /** Ends every helper; safe to call twice and after a failure. */
  close(): Promise<void>;
}

export interface ShardPoolInit {
  readonly layout: ShardLayout;
  readonly buffers: ShardBuffers;
  readonly shards: number;
  /** The training split's examples, in split order. */
  readonly train: { readonly a: Int32Array; readonly b: Int32Array; readonly labels: Int32Array };
  readonly numClasses: number;
}
