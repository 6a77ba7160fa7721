// Where a non-abelian run's test accuracy comes from (docs/reproduce.md § Grokking or a slow
// climb?): for each finished run, the accuracy of its last checkpoint on two kinds of test pair —
// pairs that commute (ab = ba, a ≠ b) and whose mirror (b, a) was trained on, which a model can
// answer by symmetry as on an abelian group, and all other test pairs — beside chance (1/|G|).
//   node bench/commutingPairs.js <run dir>...     e.g. runs/s4-90/seed=*
const fs = require('node:fs');
const path = require('node:path');
const tf = require('@tensorflow/tfjs-core');
const core = require('../packages/core/dist');
const internal = require('../packages/core/dist/internal');
const { planRun } = require('../packages/cli/dist/buildTrainer');
const { resolveModel } = require('../packages/cli/dist/resolveComponents');
const { validateConfig } = require('../packages/cli/dist/validateConfig');

async function main(dirs) {
  if (dirs.length === 0)
    throw new Error('usage: node bench/commutingPairs.js <run dir>... (runs of a group task with checkpoints)');
  await core.useBackend('wasm');
  const rows = [];
  for (const dir of dirs) {
    const config = validateConfig(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).config);
    const { task, split } = planRun(config);
    const model = resolveModel(config.model, task, config.seed, process.cwd());
    const last = path.join(dir, 'checkpoints', fs.readdirSync(path.join(dir, 'checkpoints')).sort().pop());
    // The checkpoint's layout is the codec's (core's store/runCheckpoint.ts), not this script's.
    const ckpt = internal.runCheckpointCodec.decode(internal.decodeCheckpoint(fs.readFileSync(last)), last);
    for (const [name, v] of model.params) {
      const t = ckpt.params.get(name);
      v.assign(tf.tensor(t.values, t.shape, 'float32'));
    }
    const { a, b, label } = task.examples;
    const key = (x, y) => x * task.order + y;
    const labelOf = new Map([...label].map((c, i) => [key(a[i], b[i]), c]));
    const trained = new Set([...split.train].map((i) => key(a[i], b[i])));
    const test = [...split.test];
    const predicted = tf.tidy(() =>
      tf.argMax(
        model.forward({
          a: tf.tensor1d(
            test.map((i) => a[i]),
            'int32',
          ),
          b: tf.tensor1d(
            test.map((i) => b[i]),
            'int32',
          ),
        }).logits,
        -1,
      ),
    );
    const pred = predicted.dataSync();
    predicted.dispose();
    const tally = { mirror: [0, 0], other: [0, 0] };
    test.forEach((i, k) => {
      const [x, y] = [a[i], b[i]];
      const bySymmetry = x !== y && labelOf.get(key(x, y)) === labelOf.get(key(y, x)) && trained.has(key(y, x));
      const t = tally[bySymmetry ? 'mirror' : 'other'];
      t[0] += pred[k] === label[i] ? 1 : 0;
      t[1]++;
    });
    const share = ([right, n]) => (n ? `${(right / n).toFixed(2)} (${right}/${n})` : '–');
    rows.push({
      run: path.basename(dir),
      step: ckpt.step,
      'test accuracy': ((tally.mirror[0] + tally.other[0]) / test.length).toFixed(2),
      'commuting, mirror trained': share(tally.mirror),
      'other test pairs': share(tally.other),
      chance: (1 / task.order).toFixed(3),
    });
    model.dispose();
  }
  console.table(rows);
}

main(process.argv.slice(2)).catch((e) => {
  console.error(e.message);
  process.exit(1);
});
