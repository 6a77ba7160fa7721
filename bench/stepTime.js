// ms/step for named configurations on one backend: full-batch training steps timed after a
// warm-up, plus the evaluation cost and memory. Uses the built packages (npm run bench builds).
const tf = require('@tensorflow/tfjs-core');
const core = require('../packages/core/dist');
const { createModel } = require('../packages/models/dist');

/** a∘b over Z/pZ for the bench, so it does not depend on which task builders exist. */
function cyclicAdd(p) {
  const n = p * p;
  const a = new Int32Array(n),
    b = new Int32Array(n),
    label = new Int32Array(n);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) [a[i * p + j], b[i * p + j], label[i * p + j]] = [i, j, (i + j) % p];
  return {
    name: `add-${p}`,
    order: p,
    abelian: true,
    elementLabels: [],
    vocabSize: p + 1,
    equalsToken: p,
    numClasses: p,
    examples: { a, b, label },
  };
}

const CONFIGS = {
  // The quick preset's shapes (mod 97, half the pairs, d_model 64); its split is by unordered pairs, the same count.
  quick: { p: 97, trainFraction: 0.5, model: { kind: 'transformer', dModel: 64, heads: 4, dMlp: 256 } },
  paper: { p: 97, trainFraction: 0.3, model: { kind: 'transformer', dModel: 128, heads: 4, dMlp: 512 } },
  'paper-unfactorised': {
    p: 97,
    trainFraction: 0.3,
    model: { kind: 'transformer', dModel: 128, heads: 4, dMlp: 512, factorised: false },
  },
};

/** A shard worker's replica of config `name`'s model (core's WorkerShardPool loads this module). */
function replica({ name }) {
  const c = CONFIGS[name];
  return createModel(cyclicAdd(c.p), c.model, 0);
}

/**
 * Times `steps` training steps of config `name` after `warmup`; `shards` > 1 cuts each batch into
 * that many shards, computed by `workers` threads (the trainer's and workers − 1 helpers).
 */
async function timeSteps(name, { steps = 40, warmup = 5, shards = 1, workers = 1 } = {}) {
  const c = CONFIGS[name];
  const task = cyclicAdd(c.p);
  const n = task.examples.label.length;
  const perm = core.Rng.derive(0, 'split').permutation(n);
  const k = Math.round(c.trainFraction * n);
  const split = { train: perm.slice(0, k).sort(), test: perm.slice(k).sort() };
  const model = createModel(task, c.model, 0);
  const stepMs = [];
  let last = 0;
  const timer = {
    name: 'bench-timer',
    apply(t) {
      t.hooks.beforeStep.tap('bench-timer', () => {
        last = performance.now();
      });
      t.hooks.afterStep.tap('bench-timer', ({ step }) => {
        if (step > warmup) stepMs.push(performance.now() - last);
      });
    },
  };
  const evalMs = [];
  const evalTimer = {
    name: 'bench-eval',
    apply(t) {
      let t0 = 0;
      t.hooks.evaluate.tapPromise({ name: 'bench-eval', stage: -1000 }, async () => {
        t0 = performance.now();
      });
      t.hooks.evaluate.tapPromise({ name: 'bench-eval', stage: 1000 }, async (ev) => {
        const logits = tf.tidy(() => ev.forward('all').logits);
        logits.dataSync();
        logits.dispose();
        evalMs.push(performance.now() - t0);
      });
    },
  };
  const shardPool =
    workers > 1
      ? new core.WorkerShardPool({
          helpers: workers - 1,
          backend: tf.getBackend(),
          replica: { module: __filename, export: 'replica', options: { name } },
        })
      : undefined;
  const trainer = new core.Trainer({
    task,
    split,
    model,
    steps: warmup + steps,
    evalEvery: warmup + steps,
    seed: 0,
    shards,
    shardPool,
    plugins: [timer, evalTimer],
  });
  await trainer.run();
  const sorted = [...stepMs].sort((x, y) => x - y);
  const row = {
    config: name,
    backend: tf.getBackend(),
    trainExamples: k,
    'ms/step (median)': sorted[sorted.length >> 1].toFixed(1),
    'steps/s': (1000 / sorted[sorted.length >> 1]).toFixed(1),
    'eval ms (all pairs)': evalMs[evalMs.length - 1].toFixed(0),
    'rss MiB': (process.memoryUsage().rss / 2 ** 20).toFixed(0),
  };
  trainer.dispose();
  model.dispose();
  return row;
}

module.exports = { timeSteps, CONFIGS, cyclicAdd, replica };

if (require.main === module) {
  (async () => {
    const names = process.argv.slice(2).length ? process.argv.slice(2) : ['quick', 'paper'];
    await core.useBackend(process.env.GROKSCOPE_BACKEND ?? 'wasm');
    const rows = [];
    for (const name of names) rows.push(await timeSteps(name));
    console.table(rows);
  })();
}
