/**
 * Interventions under conditions that break them: a learning rate that
 * blows the representation up, and a tap a training transform cannot rewrite.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, NonFiniteError, PluginError, Trainer, useBackend, type Plugin } from '@grokscope/core';
import { Mlp, Transformer } from '@grokscope/models';
import { addTask, splitFirst } from './smallTask';
import { accuracyProbe, entropyFloor, entropyFloorPenalty, mixing } from '../src';

beforeAll(async () => {
  await useBackend('wasm');
});

const task = addTask(11);
const split = splitFirst(task, 70);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-fail-'));

function trainer(plugins: Plugin[], over: object = {}) {
  const model = new Transformer(task, { dModel: 16, heads: 4, dMlp: 32 }, 0);
  return new Trainer({
    task,
    split,
    model,
    steps: 40,
    evalEvery: 10,
    seed: 0,
    optimizer: { name: 'adamw', lr: 3e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
    plugins,
    ...over,
  });
}

test('entropy-floor with lr 1000 fails with the NaN error naming the step, not a crash inside the eigen-solver', async () => {
  const t = trainer([accuracyProbe(), entropyFloor({ lambda: 1, floor: 0.9 })], {
    runDir: path.join(tmp(), 'run'),
    optimizer: { name: 'adamw', lr: 1000, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
  });
  const err = await t.run().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NonFiniteError);
  expect(err).not.toBeInstanceOf(PluginError);
  expect((err as Error).message).toMatch(/became NaN or infinite at step \d+\./);
  expect((err as NonFiniteError).step).toBeGreaterThan(0);
});

test('the penalty itself refuses a non-finite batch with the step it was given', () => {
  const z = tf.tensor2d([1, 2, Infinity, 4, 5, 6], [3, 2]);
  expect(() => entropyFloorPenalty(z, 1, 0.9, 1e-8, 17)).toThrow(/entropy-floor batch covariance .* at step 17/);
  z.dispose();
});

test("mixing on the Transformer's embed tap is refused (it would change nothing); on the MLP it is allowed", async () => {
  const err = await trainer([mixing({ tap: 'embed' })])
    .run()
    .catch((e: unknown) => e);
  expect((err as PluginError).cause).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toMatch(
    /cannot rewrite tap "embed".*choose one of attn_out, resid_mid, mlp_hidden, resid_final/,
  );
  const mlp = new Mlp(task, { dEmbed: 8, hidden: [16] }, 0);
  const end = await new Trainer({
    task,
    split,
    model: mlp,
    steps: 2,
    evalEvery: 1,
    seed: 0,
    plugins: [mixing({ tap: 'embed' })],
  }).run();
  expect(end.status).toBe('completed');
});

test('the Transformer refuses a training transform on a tap it cannot rewrite', () => {
  const model = new Transformer(task, { dModel: 16, heads: 4, dMlp: 32 }, 0);
  const batch = { a: tf.tensor1d([1, 2], 'int32'), b: tf.tensor1d([3, 4], 'int32') };
  expect(() =>
    model.forward(batch, { taps: new Set(), transforms: new Map([['embed', (t: tf.Tensor2D) => t]]) }),
  ).toThrow(/cannot rewrite tap "embed"/);
  tf.dispose([batch.a, batch.b]);
  model.dispose();
});
