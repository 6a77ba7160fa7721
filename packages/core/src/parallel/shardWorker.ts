/**
 * A helper thread of a data-parallel step (workerShardPool.ts): builds its own backend and
 * replica of the model, then for each step loads the parameters from the shared buffer, computes
 * the shards it is given with the same `computeShard` as the trainer's thread, and answers.
 */
import '../backend/registerGradients';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '../errors';
import { useBackend } from '../backend/backend';
import type { Model } from '../plugin';
import { computeShard, readParams, type ShardBuffers, type ShardLayout, type TrainTensors } from './shardLayout';
import type { ReplicaSource } from './workerShardPool';

interface Init {
  readonly backend: string;
  readonly replica: ReplicaSource;
  readonly layout: ShardLayout;
  readonly buffers: ShardBuffers;
  readonly shards: number;
  readonly train: { readonly a: Int32Array; readonly b: Int32Array; readonly labels: Int32Array };
  readonly numClasses: number;
}

const port = parentPort!;
const init = workerData as Init;

function errorReply(err: unknown): { kind: 'error'; message: string; code?: string; field?: string } {
  if (err instanceof ConfigError)
    return { kind: 'error', code: err.code, field: err.field, message: err.message.slice(err.field.length + 2) };
  const e = err as { message?: string; code?: unknown };
  return {
    kind: 'error',
    message: e?.message ?? String(err),
    ...(typeof e?.code === 'string' && e.code.startsWith('E_') ? { code: e.code } : {}),
  };
}

/** The replica, checked against the trainer's parameter layout: a different model would train nonsense. */
async function buildReplica(): Promise<Model> {
  const { module, export: name = 'default', options } = init.replica;
  const loaded = require(module) as Record<string, unknown>;
  const factory = loaded[name];
  if (typeof factory !== 'function')
    throw new ConfigError('workers', `the replica module ${module} exports no function "${name}"`);
  const model = (await (factory as (o: unknown) => Model | Promise<Model>)(options)) as Model;
  const names = [...model.params.keys()];
  const same =
    names.length === init.layout.names.length &&
    names.every((n, i) => {
      const want = init.layout.shapes[i]!;
      const got = model.params.get(n)!.shape;
      return n === init.layout.names[i] && got.length === want.length && got.every((d, k) => d === want[k]);
    });
  if (!same)
    throw new ConfigError(
      'workers',
      `the replica built by ${module} (${name}) has other parameters than the run's model; it must build the same model`,
    );
  return model;
}

async function main(): Promise<void> {
  let model: Model;
  let train: TrainTensors;
  try {
    await useBackend(init.backend, { threads: 1 });
    model = await buildReplica();
    train = tf.tidy(() => {
      const labels = tf.tensor1d(init.train.labels, 'int32');
      return {
        a: tf.tensor1d(init.train.a, 'int32'),
        b: tf.tensor1d(init.train.b, 'int32'),
        labels,
        mask: tf.cast(tf.oneHot(labels, init.numClasses), 'float32') as tf.Tensor2D,
      };
    });
  } catch (err) {
    port.postMessage(errorReply(err));
    return;
  }
  port.on('message', (m: { kind: 'step'; step: number; batch: Int32Array | null; shards: number[] }) => {
    try {
      readParams(model, init.layout, init.buffers);
      for (const s of m.shards) computeShard(model, train, m.batch, s, init.shards, init.layout, init.buffers);
      port.postMessage({ kind: 'done', step: m.step });
    } catch (err) {
      port.postMessage(errorReply(err));
    }
  });
  port.postMessage({ kind: 'ready' });
}

void main();
