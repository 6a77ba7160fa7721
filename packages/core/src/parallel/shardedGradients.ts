import * as tf from '@tensorflow/tfjs-core';
import type { NamedGradients } from '../optim/optimizer';
import type { Model } from '../plugin';
import {
  computeShard,
  type ShardBuffers,
  shardBuffers,
  type ShardLayout,
  shardLayout,
  sumShards,
  type TrainTensors,
  unitShards,
  writeParams,
} from './shardLayout';
import type { ShardPool } from './shardPool';

/**
 * The trainer's side of a data-parallel step: its own thread computes the first shards, the
 * pool's helpers the rest, and the gradients are summed in shard order (shardLayout.ts). With no
 * pool, the trainer's thread computes every shard: the same numbers, one thread.
 */
export class ShardedGradients {
  readonly #model: Model;
  readonly #train: TrainTensors;
  readonly #shards: number;
  readonly #pool: ShardPool | undefined;
  readonly #layout: ShardLayout;
  readonly #buffers: ShardBuffers;
  /** Shards of each computing unit: [0] the trainer's thread, then each helper's. */
  readonly #units: number[][];

  private constructor(model: Model, train: TrainTensors, shards: number, pool: ShardPool | undefined) {
    this.#model = model;
    this.#train = train;
    this.#shards = shards;
    this.#pool = pool;
    this.#layout = shardLayout(model.params);
    this.#buffers = shardBuffers(this.#layout, shards);
    const units = Math.min(shards, 1 + (pool?.helpers ?? 0));
    this.#units = Array.from({ length: units }, (_, u) => unitShards(u, units, shards));
  }

  /** Starts the pool's helpers (if any) for a run of `shards` shards over `train`. */
  static async start(
    model: Model,
    train: TrainTensors,
    numClasses: number,
    shards: number,
    pool?: ShardPool,
  ): Promise<ShardedGradients> {
    const sharded = new ShardedGradients(model, train, shards, pool);
    if (pool && sharded.#units.length > 1) {
      const data = (t: tf.Tensor) => t.dataSync() as Int32Array;
      await pool.start({
        layout: sharded.#layout,
        buffers: sharded.#buffers,
        shards,
        train: { a: data(train.a), b: data(train.b), labels: data(train.labels) },
        numClasses,
      });
    }
    return sharded;
  }

  /** Threads computing shards (the trainer's own included). */
  get units(): number {
    return this.#units.length;
  }

  /** The step's loss and gradients (new tensors, the caller's to dispose). */
  async compute(step: number, batch: Int32Array | null): Promise<{ loss: number; grads: NamedGradients }> {
    const helpers = this.#units.slice(1);
    let done: Promise<void> | undefined;
    if (helpers.length > 0) {
      writeParams(this.#model, this.#layout, this.#buffers);
      done = this.#pool!.step(step, batch, helpers);
    }
    let unused: string[] = [];
    try {
      // Every shard runs the same graph: the trainer's first shard tells which parameters it leaves out.
      for (const s of this.#units[0]!)
        unused = computeShard(this.#model, this.#train, batch, s, this.#shards, this.#layout, this.#buffers);
    } finally {
      // A helper's failure is the one to report even when ours came first: wait for them either way.
      if (done) await done;
    }
    const { loss, grads } = sumShards(this.#layout, this.#buffers, this.#shards);
    const named: NamedGradients = new Map();
    this.#layout.names.forEach((name, i) => {
      if (!unused.includes(name)) named.set(name, tf.tensor(grads[i]!, [...this.#layout.shapes[i]!]));
    });
    return { loss, grads: named };
  }

  async close(): Promise<void> {
    await this.#pool?.close();
  }
}
