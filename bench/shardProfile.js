// Where a data-parallel step's time goes (docs/throughput.md § Every core on one run): the phases
// of the trainer's side of a sharded step — copying the parameters out, its own shards, waiting
// for the helpers, summing the shards, the optimiser update — timed one by one with the pieces
// `ShardedGradients` is made of, beside the one-shard step on one thread. Median of the timed steps.
//
//   node bench/shardProfile.js [paper|quick] [workers=2] [steps=30]
const path = require('node:path');
const tf = require('@tensorflow/tfjs-core');
const core = require('../packages/core/dist');
const shard = require('../packages/core/dist/parallel/shardLayout');
const { CONFIGS, cyclicAdd, replica } = require('./stepTime');

const name = process.argv[2] ?? 'paper';
const workers = Number(process.argv[3] ?? 2);
const steps = Number(process.argv[4] ?? 30);
const WARMUP = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  await core.useBackend('wasm', { threads: 1 });
  const c = CONFIGS[name];
  const task = cyclicAdd(c.p);
  const n = task.examples.label.length;
  const perm = core.Rng.derive(0, 'split').permutation(n);
  const train = perm.slice(0, Math.round(c.trainFraction * n)).sort();
  const pick = (xs) => Int32Array.from(train, (i) => xs[i]);
  const data = tf.tidy(() => {
    const labels = tf.tensor1d(pick(task.examples.label), 'int32');
    return {
      a: tf.tensor1d(pick(task.examples.a), 'int32'),
      b: tf.tensor1d(pick(task.examples.b), 'int32'),
      labels,
      mask: tf.cast(tf.oneHot(labels, task.numClasses), 'float32'),
    };
  });
  const model = replica({ name });
  const optimizer = core.createOptimizer({ name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 });
  const layout = shard.shardLayout(model.params);
  const update = (grads) =>
    tf.tidy(() => {
      optimizer.apply(model.params, grads);
      return tf.sum(model.params.values().next().value);
    });

  // The one-shard step on one thread, for scale, and one of `workers` shards alone (the other cores idle).
  const whole = [];
  const alone = [];
  for (let s = 0; s < WARMUP + steps; s++) {
    const t0 = performance.now();
    const buffers = shard.shardBuffers(layout, 1);
    shard.computeShard(model, data, null, 0, 1, layout, buffers);
    const { grads } = shard.sumShards(layout, buffers, 1);
    const named = new Map(layout.names.map((k, i) => [k, tf.tensor(grads[i], layout.shapes[i])]));
    update(named).dataSync();
    tf.dispose([...named.values()]);
    if (s >= WARMUP) whole.push(performance.now() - t0);
    const part = shard.shardBuffers(layout, workers);
    const t1 = performance.now();
    shard.computeShard(model, data, null, 0, workers, layout, part);
    if (s >= WARMUP) alone.push(performance.now() - t1);
  }

  const shards = workers;
  const buffers = shard.shardBuffers(layout, shards);
  const pool = new core.WorkerShardPool({
    helpers: workers - 1,
    backend: 'wasm',
    replica: { module: path.join(__dirname, 'stepTime.js'), export: 'replica', options: { name } },
  });
  const units = Array.from({ length: workers }, (_, u) => shard.unitShards(u, workers, shards));
  await pool.start({
    layout,
    buffers,
    shards,
    train: { a: data.a.dataSync(), b: data.b.dataSync(), labels: data.labels.dataSync() },
    numClasses: task.numClasses,
  });
  const phases = { 'copy parameters out': [], 'own shards': [], 'wait for helpers': [], sum: [], update: [] };
  const total = [];
  for (let s = 0; s < WARMUP + steps; s++) {
    const t0 = performance.now();
    shard.writeParams(model, layout, buffers);
    const t1 = performance.now();
    const done = pool.step(s + 1, null, units.slice(1));
    for (const k of units[0]) shard.computeShard(model, data, null, k, shards, layout, buffers);
    const t2 = performance.now();
    await done;
    const t3 = performance.now();
    const { grads } = shard.sumShards(layout, buffers, shards);
    const named = new Map(layout.names.map((k, i) => [k, tf.tensor(grads[i], layout.shapes[i])]));
    const t4 = performance.now();
    update(named).dataSync();
    tf.dispose([...named.values()]);
    const t5 = performance.now();
    if (s < WARMUP) continue;
    phases['copy parameters out'].push(t1 - t0);
    phases['own shards'].push(t2 - t1);
    phases['wait for helpers'].push(t3 - t2);
    phases.sum.push(t4 - t3);
    phases.update.push(t5 - t4);
    total.push(t5 - t0);
  }
  await pool.close();
  const one = median(whole);
  const rows = [
    { phase: `one shard, one thread (whole step)`, 'ms (median)': one.toFixed(1), '× one-shard step': '1.00' },
    ...Object.entries(phases).map(([phase, ms]) => ({
      phase: `${workers} workers: ${phase}`,
      'ms (median)': median(ms).toFixed(1),
      '× one-shard step': (median(ms) / one).toFixed(2),
    })),
    {
      phase: `${workers} workers: whole step`,
      'ms (median)': median(total).toFixed(1),
      '× one-shard step': (median(total) / one).toFixed(2),
    },
    {
      phase: `one shard of ${workers}, the other cores idle`,
      'ms (median)': median(alone).toFixed(1),
      '× one-shard step': (median(alone) / one).toFixed(2),
    },
    {
      phase: `ideal own shards (one-shard step ÷ ${workers})`,
      'ms (median)': (one / workers).toFixed(1),
      '× one-shard step': (1 / workers).toFixed(2),
    },
  ];
  console.log(`${name}: ${steps} full-batch steps after ${WARMUP} warm-up, ${workers} workers, ${shards} shards`);
  console.table(rows);
}

main();
