/**
 * A plugin that asks for a tap the model does not have gets a named error (UnknownTapError, a
 * ConfigError) naming the tap, the model and the taps it has, wrapped in the PluginError that
 * names the plugin and the hook: in its `forward` request (a tap or a transform) and from
 * `Evaluation.forward`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, type Plugin, PluginError, Trainer, UnknownTapError, useBackend } from '../src';
import { SharedEvaluation } from '../src/trainer/evaluation';
import { addTask, splitHalf, TinyModel, tinyOptions } from './fixtures/tiny';

const task = addTask(7);
const split = splitHalf(task, 0);

beforeAll(async () => {
  await useBackend('wasm');
});

const options = (plugins: Plugin[]) =>
  tinyOptions({ task, split, model: new TinyModel(task, 0), steps: 2, evalEvery: 2, plugins });

/** The run's error, which must be the plugin's, caused by an UnknownTapError. */
async function failure(plugins: Plugin[]): Promise<{ error: PluginError; cause: UnknownTapError }> {
  const trainer = new Trainer(options(plugins));
  const error = await trainer.run().then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(PluginError);
  const cause = (error as PluginError).cause;
  expect(cause).toBeInstanceOf(UnknownTapError);
  return { error: error as PluginError, cause: cause as UnknownTapError };
}

test('a forward request for a tap the model lacks names the tap, the model, its taps and the plugin', async () => {
  const greedy: Plugin = {
    name: 'greedy',
    apply: (t) => t.hooks.forward.tap('greedy', (req) => ({ ...req, taps: new Set([...req.taps, 'attn_out']) })),
  };
  const { error, cause } = await failure([greedy]);
  expect(error.plugin).toBe('greedy');
  expect(error.hook).toBe('forward');
  expect(cause).toBeInstanceOf(ConfigError);
  expect(cause.code).toBe('E_CONFIG');
  expect({ tap: cause.tap, model: cause.model, available: cause.available }).toEqual({
    tap: 'attn_out',
    model: 'tiny',
    available: ['resid_final'],
  });
  expect(error.message).toMatch(
    /plugin "greedy" failed in hook "forward": tap: the tiny model has no tap "attn_out" \(asked for in its forward request\); its taps: resid_final/,
  );
});

test('a transform of a tap the model lacks is refused the same way', async () => {
  const mixer: Plugin = {
    name: 'mixer',
    apply: (t) =>
      t.hooks.forward.tap('mixer', (req) => ({
        ...req,
        transforms: new Map([...req.transforms, ['resid_mid', (z: tf.Tensor2D) => z]]),
      })),
  };
  const { error, cause } = await failure([mixer]);
  expect(error.plugin).toBe('mixer');
  expect(cause.tap).toBe('resid_mid');
  expect(cause.message).toContain('as a transform');
});

test('Evaluation.forward for a tap the model lacks names it, from the probe that asked', async () => {
  const probe: Plugin = {
    name: 'lost-probe',
    apply: (t) => t.hooks.evaluate.tapPromise('lost-probe', async (ev) => void ev.forward('test', ['mlp_hidden'])),
  };
  const { error, cause } = await failure([probe]);
  expect(error.plugin).toBe('lost-probe');
  expect(error.hook).toBe('evaluate');
  expect({ tap: cause.tap, model: cause.model, available: cause.available }).toEqual({
    tap: 'mlp_hidden',
    model: 'tiny',
    available: ['resid_final'],
  });
  expect(cause.message).toContain(`Evaluation.forward('test', …)`);
});

test('SharedEvaluation refuses an unknown tap before running the model, and serves known ones', () => {
  const model = new TinyModel(task, 0);
  const ev = new SharedEvaluation(0, task, split, model);
  try {
    const before = tf.memory().numTensors;
    expect(() => ev.forward('all', ['resid_final', 'nope'])).toThrow(UnknownTapError);
    expect(() => ev.forward('train', ['nope'])).toThrow('the tiny model has no tap "nope"');
    expect(tf.memory().numTensors).toBe(before);
    expect(ev.forward('train', ['resid_final']).taps.get('resid_final')!.shape).toEqual([split.train.length, 8]);
  } finally {
    ev.dispose();
    model.dispose();
  }
});

test('known taps pass: a forward request and an evaluation that ask for resid_final run to the end', async () => {
  const seen: number[] = [];
  const fine: Plugin = {
    name: 'fine',
    apply: (t) => {
      t.hooks.forward.tap('fine', (req) => ({ ...req, taps: new Set([...req.taps, 'resid_final']) }));
      t.hooks.loss.tap('fine', (terms, ctx) => (seen.push(ctx.forward.taps.get('resid_final')!.shape[0]), terms));
      t.hooks.evaluate.tapPromise('fine', async (ev) => void ev.forward('all', ['resid_final']));
    },
  };
  const end = await new Trainer(options([fine])).run();
  expect(end.status).toBe('completed');
  expect(seen).toEqual([split.train.length, split.train.length]);
});
