import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, GrokscopeError, type Model, Trainer, useBackend, WorkerShardPool } from '../src';
import { computeShard, shardBuffers, shardLayout, sumShards } from '../src/parallel/shardLayout';
import { accuracy, addTask, metricsOf, splitHalf, TinyModel, tinyOptions } from './fixtures/tiny';

// The replica module a worker thread loads; the trainer's own model comes from it too.
const REPLICA = path.join(__dirname, 'fixtures', 'tinyReplica.js');
const { build } = require(REPLICA) as { build: (o: object) => Model };

const task = addTask(7);
const split = splitHalf(task, 0);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-shards-'));
const replicaOptions = (extra: object = {}) => ({
  vocabSize: task.vocabSize,
  numClasses: task.numClasses,
  seed: 0,
  ...extra,
});
const pool = (workers: number, extra: object = {}) =>
  workers > 1
    ? new WorkerShardPool({
        helpers: workers - 1,
        backend: 'wasm',
        replica: { module: REPLICA, export: 'build', options: replicaOptions(extra) },
      })
    : undefined;

beforeAll(async () => {
  await useBackend('wasm');
});

/** Every parameter's float32 values, concatenated in the model's order. */
const paramsOf = (m: Model) => [...m.params.values()].flatMap((v) => [...(v.dataSync() as Float32Array)]);

describe('a sharded gradient', () => {
  test.each([
    ['the full batch', null],
    ['a minibatch with repeats', Int32Array.from([0, 5, 5, 9, 2, 11, 0, 17, 3, 3, 20])],
  ])('on %s equals the whole batch gradient to float tolerance, for 1 to 5 shards', (_, batch) => {
    const model = new TinyModel(task, 0);
    const vars = [...model.params.values()];
    const train = tf.tidy(() => {
      const pick = (xs: Int32Array) => Int32Array.from(split.train, (i) => xs[i]!);
      const labels = tf.tensor1d(pick(task.examples.label), 'int32');
      return {
        a: tf.tensor1d(pick(task.examples.a), 'int32'),
        b: tf.tensor1d(pick(task.examples.b), 'int32'),
        labels,
        mask: tf.cast(tf.oneHot(labels, task.numClasses), 'float32') as tf.Tensor2D,
      };
    });
    // The whole batch in one pass, as the unsharded step computes it.
    const whole = tf.tidy(() => {
      const idx = batch === null ? null : tf.tensor1d(batch, 'int32');
      const rows = <T extends tf.Tensor>(t: T) => (idx ? (tf.gather(t, idx) as T) : t);
      const { grads } = tf.variableGrads(
        () =>
          crossEntropy(
            model.forward({ a: rows(train.a), b: rows(train.b) }).logits,
            rows(train.labels),
            rows(train.mask),
          ),
        vars,
      );
      return vars.map((v) => grads[v.name]!);
    });
    const expected = whole.flatMap((g) => [...(g.dataSync() as Float32Array)]);
    const scale = Math.max(...expected.map(Math.abs));
    const layout = shardLayout(model.params);
    for (let shards = 1; shards <= 5; shards++) {
      const buffers = shardBuffers(layout, shards);
      for (let s = 0; s < shards; s++) computeShard(model, train, batch, s, shards, layout, buffers);
      const got = sumShards(layout, buffers, shards).grads.flatMap((g) => [...g]);
      expect(got).toHaveLength(expected.length);
      const worst = Math.max(...got.map((g, i) => Math.abs(g - expected[i]!)));
      expect(worst / scale).toBeLessThan(1e-5);
    }
    tf.dispose([...whole, train.a, train.b, train.labels, train.mask]);
    model.dispose();
  });
});

describe('a sharded run', () => {
  const options = (dir: string, workers: number, extra: object = {}) =>
    tinyOptions({
      task,
      split,
      model: build(replicaOptions()),
      runDir: dir,
      steps: 30,
      evalEvery: 10,
      shards: 3,
      shardPool: pool(workers, extra),
    });

  test('gives bitwise the same metrics and parameters on 1, 2 and 3 workers', async () => {
    const ends: { metrics: unknown; params: number[]; manifest: { workers?: number } }[] = [];
    for (const workers of [1, 2, 3]) {
      const dir = tmp();
      const o = options(dir, workers);
      await new Trainer(o).run();
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { workers?: number };
      ends.push({ metrics: metricsOf(dir), params: paramsOf(o.model), manifest });
      o.model.dispose();
    }
    expect(ends.map((e) => e.manifest.workers)).toEqual([1, 2, 3]);
    expect(ends[1]!.metrics).toEqual(ends[0]!.metrics);
    expect(ends[2]!.metrics).toEqual(ends[0]!.metrics);
    expect(ends[1]!.params).toEqual(ends[0]!.params);
    expect(ends[2]!.params).toEqual(ends[0]!.params);
    // And it is a different run from the unsharded one (the sums round differently), not a copy of it.
    const dir = tmp();
    const o = { ...options(dir, 1), shards: 1 };
    await new Trainer(o).run();
    expect(paramsOf(o.model)).not.toEqual(ends[0]!.params);
  }, 60_000);

  test('with minibatches, 1 and 2 workers agree bitwise', async () => {
    const params: number[][] = [];
    for (const workers of [1, 2]) {
      const o = { ...options(tmp(), workers), batchSize: 10 };
      await new Trainer(o).run();
      params.push(paramsOf(o.model));
    }
    expect(params[1]).toEqual(params[0]);
  }, 60_000);

  test('keeps the live tensor count flat across steps', async () => {
    const counts: number[] = [];
    const counter = {
      name: 'count',
      apply(t: Trainer) {
        t.hooks.afterStep.tap('count', () => void counts.push(tf.memory().numTensors));
      },
    };
    const o = { ...options(tmp(), 2), plugins: [accuracy, counter] };
    await new Trainer(o).run();
    expect(counts).toHaveLength(30);
    expect(new Set(counts.slice(1)).size).toBe(1);
  }, 60_000);

  test('a worker that dies ends the run with E_SHARD_WORKER, keeps what was logged, and resumes exactly', async () => {
    const dir = tmp();
    // The helper computes shards 1 and 2 of 3, two forward passes a step: its 49th is in step 25.
    const o = options(dir, 2, { dieAtForward: 49 });
    const failure = new Trainer(o).run();
    await expect(failure).rejects.toThrow(GrokscopeError);
    await failure.catch((err: GrokscopeError) => {
      expect(err.code).toBe('E_SHARD_WORKER');
      expect(err.message).toMatch(/shard worker 2 of 2 exited with code 3 at step 25/);
      expect(err.message).toMatch(/run the same command again to resume/);
    });
    expect(metricsOf(dir).map((r) => r.step)).toEqual([0, 10, 20]);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { status: string };
    expect(summary.status).toBe('failed');
    // Resumed on one worker: the run an uninterrupted one writes.
    await new Trainer({ ...options(dir, 1), resume: true }).run();
    const whole = tmp();
    await new Trainer(options(whole, 1)).run();
    expect(metricsOf(dir)).toEqual(metricsOf(whole));
  }, 60_000);

  test('leaves a parameter the loss does not read out of the update, as the unsharded step does', async () => {
    const initial = (
      build(replicaOptions({ unused: true }))
        .params.get('unused')!
        .dataSync() as Float32Array
    ).slice();
    for (const shards of [1, 3]) {
      const o = { ...options(tmp(), 2, { unused: true }), model: build(replicaOptions({ unused: true })), shards };
      await new Trainer(o).run();
      expect([...(o.model.params.get('unused')!.dataSync() as Float32Array)]).toEqual([...initial]);
    }
  }, 60_000);

  test('refuses a plugin in the loss or the forward pass, naming it and the fix', () => {
    const floorLike = {
      name: 'entropy-floor-like',
      apply(t: Trainer) {
        t.hooks.loss.tap('entropy-floor-like', (terms) => terms);
      },
    };
    expect(() => new Trainer({ ...options(tmp(), 1), plugins: [accuracy, floorLike] })).toThrow(
      /train\.shards: 3 shards, but "entropy-floor-like" changes the training forward pass or loss.*set train\.shards to 1/,
    );
  });

  test('is another run than the unsharded one: resuming across shard counts is refused', async () => {
    const dir = tmp();
    await new Trainer({ ...options(dir, 1), shards: 1, steps: 20 }).run();
    await expect(new Trainer({ ...options(dir, 1), resume: true }).run()).rejects.toThrow(/shards: 1 → 3/);
  }, 60_000);

  test('refuses more shards than the batch has examples', () => {
    expect(() => new Trainer({ ...options(tmp(), 1), batchSize: 2 })).toThrow(
      /shards: 3 shards of a batch of 2 examples would leave some empty; give at most 2/,
    );
  });

  test('a replica with other parameters than the run is refused by name', async () => {
    const o = { ...options(tmp(), 2, { width: 4 }) };
    await expect(new Trainer(o).run()).rejects.toThrow(/workers: the replica built by .* has other parameters/);
  }, 60_000);
});
