import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  Adam,
  createOptimizer,
  type Plugin,
  type PluginHost,
  probe,
  regulariser,
  RunStore,
  Trainer,
  useBackend,
} from '../src';
import { metricsOf, tinyOptions } from './fixtures/tiny';

beforeAll(() => useBackend('wasm'));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'host-'));
  dirs.push(d);
  return d;
};

test('a plugin is handed the PluginHost view: no run(), no store, no emit, no interrupt', async () => {
  let seen: PluginHost | undefined;
  const spy: Plugin = { name: 'spy', apply: (host) => void (seen = host) };
  const t = new Trainer(tinyOptions({ steps: 10, plugins: [spy] }));
  const host = seen as unknown as Record<string, unknown>;
  expect(Object.keys(host).sort()).toEqual([
    'defineEvent',
    'events',
    'hooks',
    'log',
    'model',
    'runInfo',
    'seed',
    'split',
    'step',
    'task',
  ]);
  for (const k of ['run', 'store', 'interrupt', 'options', 'optimizer']) expect(host[k]).toBeUndefined();
  expect((host['events'] as Record<string, unknown>)['emit']).toBeUndefined();
  expect(Object.isFrozen(host)).toBe(true);
  // log() reaches the trainer's log event; the step follows the run.
  const logs: string[] = [];
  seen!.events.on('log', (e) => logs.push(`${e.level}: ${e.message}`));
  seen!.log('warn', 'hello');
  expect(logs).toEqual(['warn: hello']);
  await t.run();
  expect(seen!.step).toBe(10);
  expect(seen!.runInfo).toEqual({ steps: 10, evalEvery: 10, batchSize: null, dir: undefined });
  t.model.dispose();
  t.dispose();
});

test('beforeStep sets the learning rate: each step sees the scheduled rate, and the run leaves a constant-rate one only after the change', async () => {
  const losses = async (plugins: Plugin[]) => {
    const out: number[] = [];
    const t = new Trainer(tinyOptions({ steps: 10, plugins }));
    t.events.on('step', (e) => out.push(e.loss));
    await t.run();
    t.model.dispose();
    t.dispose();
    return out;
  };
  const schedule: Plugin = {
    name: 'schedule',
    apply: (h) => h.hooks.beforeStep.tap('schedule', (plan) => void (plan.step >= 6 && (plan.learningRate = 5e-3))),
  };
  const seenLr: number[] = [];
  const watcher: Plugin = {
    name: 'watch',
    apply: (h) => h.hooks.beforeStep.tap('watch', (plan) => void seenLr.push(plan.learningRate)),
  };
  const withSchedule = await losses([schedule, watcher]);
  expect(seenLr).toEqual([...Array(5).fill(1e-2), ...Array(5).fill(5e-3)]);
  const constant = await losses([]);
  // Steps 1–6 use lr 1e-2 either way (the loss of step k is computed before its update); from step 7 they differ.
  expect(withSchedule.slice(0, 6)).toEqual(constant.slice(0, 6));
  expect(withSchedule[7]).not.toBe(constant[7]);
});

test('beforeStep sets the batch: a batch of one example trains on that example alone', async () => {
  const t = new Trainer(
    tinyOptions({
      steps: 1,
      plugins: [
        { name: 'one', apply: (h) => h.hooks.beforeStep.tap('one', (plan) => void (plan.batch = Int32Array.of(3))) },
      ],
    }),
  );
  const losses: number[] = [];
  t.events.on('step', (e) => losses.push(e.loss));
  // The loss of step 1 is the cross-entropy of training example 3 alone, computed here independently before training.
  const i = t.split.train[3]!;
  const expected = tf.tidy(() => {
    const logits = t.model.forward({
      a: tf.tensor1d([t.task.examples.a[i]!], 'int32'),
      b: tf.tensor1d([t.task.examples.b[i]!], 'int32'),
    }).logits;
    return -tf.logSoftmax(logits).arraySync()[0]![t.task.examples.label[i]!]!;
  });
  await t.run();
  expect(losses[0]).toBeCloseTo(expected, 5);
  t.model.dispose();
  t.dispose();
  const bad = new Trainer(
    tinyOptions({
      steps: 1,
      plugins: [
        { name: 'bad', apply: (h) => h.hooks.beforeStep.tap('bad', (plan) => void (plan.batch = Int32Array.of(999))) },
      ],
    }),
  );
  await expect(bad.run()).rejects.toThrow(
    /plugin "bad".*beforeStep.*set the batch of step 1.*positions 0\.\.\d+ in the training split/s,
  );
  bad.model.dispose();
  bad.dispose();
});

test('a scheduled run interrupted and resumed equals the uninterrupted one (the learning rate is checkpointed)', async () => {
  // The schedule changes the rate once, at step 5: a resumed run must not fall back to the config's rate.
  const once: () => Plugin = () => ({
    name: 'once',
    apply: (h) => h.hooks.beforeStep.tap('once', (plan) => void (plan.step === 5 && (plan.learningRate = 3e-3))),
  });
  const ref = tmp();
  await new Trainer(tinyOptions({ runDir: ref, steps: 40, plugins: [...tinyOptions().plugins!, once()] })).run();
  const dir = tmp();
  const t = new Trainer(tinyOptions({ runDir: dir, steps: 40, plugins: [...tinyOptions().plugins!, once()] }));
  t.events.on('evaluation', (r) => r.step === 20 && t.interrupt());
  await t.run();
  await new Trainer(
    tinyOptions({ runDir: dir, steps: 40, resume: true, plugins: [...tinyOptions().plugins!, once()] }),
  ).run();
  expect(metricsOf(dir)).toEqual(metricsOf(ref));
  expect(new RunStore(dir).readSummary()!.events).toEqual(new RunStore(ref).readSummary()!.events);
});

test('an Optimizer instance trains exactly as the same optimiser given by config', async () => {
  const config = { name: 'adamw' as const, lr: 1e-2, beta1: 0.9, beta2: 0.98, weightDecay: 1 };
  const run = async (optimizer: Parameters<typeof tinyOptions>[0]) => {
    const t = new Trainer(tinyOptions({ steps: 10, ...optimizer }));
    const out: number[] = [];
    t.events.on('step', (e) => out.push(e.loss));
    await t.run();
    t.model.dispose();
    t.dispose();
    return out;
  };
  expect(await run({ optimizer: new Adam({ ...config, decoupled: true }) })).toEqual(await run({ optimizer: config }));
  expect(createOptimizer(config).learningRate).toBe(1e-2);
});

test('probe() and regulariser() are the plugin scaffolds: a measurement per evaluation, a term in the loss', async () => {
  const terms: string[][] = [];
  const p = probe('count', (ev) => void (ev.metrics['count/step'] = ev.step));
  const r = regulariser('l2', (ctx) => tf.mul(tf.sum(tf.square(ctx.forward.taps.get('resid_final')!)), 0), {
    taps: ['resid_final'],
  });
  const seeTerms: Plugin = {
    name: 'see',
    apply: (h) => h.hooks.loss.tap({ name: 'see', stage: 10 }, (t) => (terms.push(Object.keys(t)), t)),
  };
  const t = new Trainer(tinyOptions({ steps: 20, plugins: [p, r, seeTerms] }));
  const steps: number[] = [];
  t.events.on('evaluation', (rec) => steps.push(rec.metrics['count/step']!));
  await t.run();
  expect(steps).toEqual([0, 10, 20]);
  expect(terms[0]).toEqual(['crossEntropy', 'l2']);
  t.model.dispose();
  t.dispose();
});
