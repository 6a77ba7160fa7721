import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyPerExample } from '../loss/crossEntropy';
import type { Model } from '../plugin';

/**
 * How a data-parallel step lays out its numbers (docs/throughput.md § Every core on one run).
 *
 * The batch is cut into a fixed number of shards, which belongs to the run's config; the machine
 * only decides which thread computes which shard. Each shard's gradient of
 * (sum of its examples' cross-entropy) / (examples in the whole batch) is computed the same way
 * on whichever thread, and the shard gradients are summed in shard order, so one, two or three
 * workers give bitwise the same step. Parameters and shard gradients travel through flat float32
 * buffers, in the order of `model.params`.
 */
export interface ShardLayout {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  /** Start of each parameter in a flat buffer. */
  readonly offsets: readonly number[];
  /** Floats in one copy of every parameter. */
  readonly total: number;
}

export function shardLayout(params: ReadonlyMap<string, tf.Variable>): ShardLayout {
  const names: string[] = [];
  const shapes: number[][] = [];
  const offsets: number[] = [];
  let total = 0;
  for (const [name, v] of params) {
    names.push(name);
    shapes.push([...v.shape]);
    offsets.push(total);
    total += v.size;
  }
  return { names, shapes, offsets, total };
}

/** The shared buffers of a sharded step: parameters, each shard's gradients, each shard's loss. */
export interface ShardBuffers {
  readonly params: ArrayBufferLike;
  readonly grads: ArrayBufferLike;
  readonly losses: ArrayBufferLike;
}

/**
 * Shared memory where there is any (Node, a cross-origin-isolated page); a plain buffer elsewhere,
 * where no pool can run and the trainer's thread computes every shard.
 */
export function shardBuffers(layout: ShardLayout, shards: number): ShardBuffers {
  const f = Float32Array.BYTES_PER_ELEMENT;
  const Memory = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : ArrayBuffer;
  return {
    params: new Memory(layout.total * f),
    grads: new Memory(shards * layout.total * f),
    losses: new Memory(shards * Float64Array.BYTES_PER_ELEMENT),
  };
}

/** Rows [start, end) of shard `s` of `n` rows in `shards` contiguous parts (sizes differ by at most one). */
export function shardRows(s: number, shards: number, n: number): readonly [number, number] {
  return [Math.floor((s * n) / shards), Math.floor(((s + 1) * n) / shards)];
}

/** The shards computing unit `u` of `units` takes: a contiguous run, so each unit's work is balanced. */
export function unitShards(u: number, units: number, shards: number): number[] {
  const [start, end] = shardRows(u, units, shards);
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/** The training examples as whole tensors: labels' one-hot mask built once per run. */
export interface TrainTensors {
  readonly a: tf.Tensor1D;
  readonly b: tf.Tensor1D;
  readonly labels: tf.Tensor1D;
  readonly mask: tf.Tensor2D;
}

/**
 * One shard's loss and gradients, written into the shared buffers at its slot. `batch` lists the
 * step's examples as positions in the training set (null: all of them, in order); the shard is
 * rows `shardRows(shard, shards, batchSize)` of it. Runs the model's plain forward pass: a
 * sharded run has no plugin in the forward pass or the loss (the trainer refuses one). Returns
 * the parameters the loss does not depend on (their slots hold zeros): the unsharded step leaves
 * them out of the update, and so does the sharded one.
 */
export function computeShard(
  model: Model,
  train: TrainTensors,
  batch: Int32Array | null,
  shard: number,
  shards: number,
  layout: ShardLayout,
  buffers: ShardBuffers,
): string[] {
  const n = batch === null ? train.labels.shape[0] : batch.length;
  const [start, end] = shardRows(shard, shards, n);
  const vars = layout.names.map((name) => model.params.get(name)!);
  const out = tf.tidy(() => {
    const pick = <T extends tf.Tensor>(t: T): T =>
      batch === null
        ? (tf.slice(t, start, end - start) as T)
        : (tf.gather(t, tf.tensor1d(batch.subarray(start, end), 'int32')) as T);
    const a = pick(train.a);
    const b = pick(train.b);
    const labels = pick(train.labels);
    const mask = pick(train.mask);
    const { value, grads } = tf.variableGrads(() => {
      const forward = model.forward({ a, b }, { taps: new Set(), transforms: new Map() });
      return tf.div(tf.sum(crossEntropyPerExample(forward.logits, labels, mask)), n) as tf.Scalar;
    }, vars);
    return { value, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)), unused: vars.map((v) => !grads[v.name]) };
  });
  const g = new Float32Array(buffers.grads, shard * layout.total * Float32Array.BYTES_PER_ELEMENT, layout.total);
  out.grads.forEach((t, i) => g.set(t.dataSync() as Float32Array, layout.offsets[i]!));
  new Float64Array(buffers.losses)[shard] = out.value.dataSync()[0]!;
  tf.dispose([out.value, ...out.grads]);
  return layout.names.filter((_, i) => out.unused[i]);
}

/** Copies the current parameters into the shared parameter buffer (before the workers start a step). */
export function writeParams(model: Model, layout: ShardLayout, buffers: ShardBuffers): void {
  const p = new Float32Array(buffers.params);
  layout.names.forEach((name, i) => p.set(model.params.get(name)!.dataSync() as Float32Array, layout.offsets[i]!));
}

/** Loads the shared parameter buffer into a replica's variables (a worker, at the start of a step). */
export function readParams(model: Model, layout: ShardLayout, buffers: ShardBuffers): void {
  const p = new Float32Array(buffers.params);
  layout.names.forEach((name, i) => {
    const size = layout.shapes[i]!.reduce((x, y) => x * y, 1);
    const values = tf.tensor(p.subarray(layout.offsets[i]!, layout.offsets[i]! + size), [...layout.shapes[i]!]);
    model.params.get(name)!.assign(values);
    values.dispose();
  });
}

/**
 * The step's gradients: the shards' gradients summed in shard order, one float32 rounding per
 * addition as a float32 kernel would do it (a double sum of two float32 values, rounded once to
 * float32, is their float32 sum). The loss is the shards' losses summed in the same order.
 */
export function sumShards(
  layout: ShardLayout,
  buffers: ShardBuffers,
  shards: number,
): { loss: number; grads: Float32Array[] } {
  const all = new Float32Array(buffers.grads);
  const grads = layout.names.map((_, i) => {
    const size = layout.shapes[i]!.reduce((x, y) => x * y, 1);
    const start = layout.offsets[i]!;
    const acc = all.slice(start, start + size);
    for (let s = 1; s < shards; s++) {
      const base = s * layout.total + start;
      for (let k = 0; k < size; k++) acc[k] = acc[k]! + all[base + k]!;
    }
    return acc;
  });
  const losses = new Float64Array(buffers.losses);
  let loss = losses[0]!;
  for (let s = 1; s < shards; s++) loss = Math.fround(loss + losses[s]!);
  return { loss, grads };
}
