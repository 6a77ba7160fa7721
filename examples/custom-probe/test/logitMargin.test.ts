import * as tf from '@tensorflow/tfjs-core';
import { Rng, Trainer, useBackend, type Task } from '@grokscope/core';
import { Transformer } from '@grokscope/models';
import { logitMarginProbe } from '../src';

test('margin/test equals the margin computed independently from the final logits', async () => {
  await useBackend('wasm');
  const p = 7;
  const a: number[] = [],
    b: number[] = [],
    label: number[] = [];
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      a.push(i);
      b.push(j);
      label.push((i * j) % p);
    }
  const task: Task = {
    name: 'mul7',
    order: p,
    abelian: true,
    elementLabels: [],
    vocabSize: p + 1,
    equalsToken: p,
    numClasses: p,
    examples: { a: Int32Array.from(a), b: Int32Array.from(b), label: Int32Array.from(label) },
  };
  const perm = Rng.derive(0, 'split').permutation(p * p);
  const split = { train: perm.slice(0, 30).sort(), test: perm.slice(30).sort() };
  const model = new Transformer(task, { dModel: 16, heads: 2, dMlp: 32 }, 0);
  const seen: number[] = [];
  const trainer = new Trainer({ task, split, model, steps: 20, evalEvery: 20, seed: 0, plugins: [logitMarginProbe()] });
  trainer.events.on('evaluation', (r) => seen.push(r.metrics['margin/test']!));
  await trainer.run();
  // Independently: forward the test pairs and compute margins in plain JS.
  const logits = tf.tidy(() =>
    model
      .forward({
        a: tf.tensor1d(
          [...split.test].map((i) => a[i]!),
          'int32',
        ),
        b: tf.tensor1d(
          [...split.test].map((i) => b[i]!),
          'int32',
        ),
      })
      .logits.arraySync(),
  );
  const margins = logits.map((row, k) => {
    const y = label[split.test[k]!]!;
    return row[y]! - Math.max(...row.filter((_, c) => c !== y));
  });
  const expected = margins.reduce((s, m) => s + m, 0) / margins.length;
  expect(seen).toHaveLength(2);
  expect(seen[1]).toBeCloseTo(expected, 4);
  model.dispose();
});
