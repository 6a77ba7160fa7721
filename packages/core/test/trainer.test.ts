import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError, PluginError, RunStore, Trainer, type TrainerOptions, useBackend } from '../src';
import { accuracy, addTask, metricsOf, splitHalf, TinyModel, tinyOptions } from './fixtures/tiny';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-core-'));
const task = addTask(7);
const split = splitHalf(task, 0);

beforeAll(async () => {
  await useBackend('wasm');
});

const options = (over: Partial<TrainerOptions> = {}) =>
  tinyOptions({ task, split, model: new TinyModel(task, 0), ...over });

describe('hooks', () => {
  test('fire in the documented order, and loss terms compose as a waterfall', async () => {
    const calls: string[] = [];
    const seenTerms: string[][] = [];
    const order = {
      name: 'order',
      apply(t: Trainer) {
        t.hooks.setup.tapPromise('order', async () => void calls.push('setup'));
        t.hooks.beforeStep.tap('order', ({ step }) => void calls.push(`beforeStep ${step}`));
        t.hooks.forward.tap('order', (req, { step }) => (calls.push(`forward ${step}`), req));
        t.hooks.loss.tap('order', (terms, ctx) => {
          calls.push(`loss ${ctx.step}`);
          return { ...terms, first: tf.mul(tf.sum(tf.square(ctx.forward.logits)), 0) as tf.Scalar };
        });
        t.hooks.loss.tap('order', (terms) => {
          seenTerms.push(Object.keys(terms));
          return { ...terms, second: tf.scalar(0.5) };
        });
        t.hooks.gradients.tap('order', (g, { step }) => (calls.push(`gradients ${step}`), g));
        t.hooks.afterStep.tap('order', ({ step }) => void calls.push(`afterStep ${step}`));
        t.hooks.evaluate.tapPromise('order', async (ev) => void calls.push(`evaluate ${ev.step}`));
        t.hooks.shouldStop.tap('order', (ev) => void calls.push(`shouldStop ${ev.step}`));
        t.hooks.done.tapPromise('order', async (end) => void calls.push(`done ${end.status}`));
      },
    };
    const losses: number[] = [];
    const trainer = new Trainer(options({ steps: 2, evalEvery: 2, plugins: [order] }));
    trainer.events.on('step', (e) => losses.push(e.loss));
    await trainer.run();
    expect(calls).toEqual([
      'setup',
      'evaluate 0',
      'shouldStop 0',
      'beforeStep 1',
      'forward 1',
      'loss 1',
      'gradients 1',
      'afterStep 1',
      'beforeStep 2',
      'forward 2',
      'loss 2',
      'gradients 2',
      'afterStep 2',
      'evaluate 2',
      'shouldStop 2',
      'done completed',
    ]);
    // Each loss tap sees the terms of the taps before it; the optimiser minimises their sum.
    expect(seenTerms[0]).toEqual(['crossEntropy', 'first']);
    const plain = new Trainer(options({ steps: 1, evalEvery: 1, plugins: [] }));
    const plainLoss: number[] = [];
    plain.events.on('step', (e) => plainLoss.push(e.loss));
    await plain.run();
    expect(losses[0]).toBeCloseTo(plainLoss[0]! + 0.5, 5);
  });

  test('a plugin error names the plugin and the hook', async () => {
    const bad = {
      name: 'bad-probe',
      apply: (t: Trainer) =>
        t.hooks.evaluate.tapPromise('bad-probe', async () => {
          throw new Error('boom');
        }),
    };
    const run = new Trainer(options({ plugins: [bad] })).run();
    await expect(run).rejects.toThrow(PluginError);
    await expect(new Trainer(options({ plugins: [bad] })).run()).rejects.toThrow(
      'plugin "bad-probe" failed in hook "evaluate": boom',
    );
  });

  test('a setup failure leaves the run directory untouched (no manifest, no summary)', async () => {
    const dir = path.join(tmp(), 'run');
    const picky = {
      name: 'picky',
      apply: (t: Trainer) =>
        t.hooks.setup.tapPromise('picky', async () => {
          throw new Error('bad option');
        }),
    };
    await expect(new Trainer(options({ runDir: dir, plugins: [picky] })).run()).rejects.toThrow(
      'plugin "picky" failed in hook "setup": bad option',
    );
    expect(fs.existsSync(path.join(dir, 'summary.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'manifest.json'))).toBe(false);
  });

  test('shouldStop ends the run with status stopped and its reason', async () => {
    const stopper = {
      name: 'stopper',
      apply: (t: Trainer) => t.hooks.shouldStop.tap('stopper', (ev) => (ev.step >= 20 ? 'enough' : undefined)),
    };
    const end = await new Trainer(options({ plugins: [stopper] })).run();
    expect(end).toMatchObject({ status: 'stopped', step: 20, reason: 'enough' });
  });

  test('resuming a stopped run trains no further and keeps its records and summary', async () => {
    const stopper = {
      name: 'stopper',
      apply: (t: Trainer) => t.hooks.shouldStop.tap('stopper', (ev) => (ev.step >= 20 ? 'enough' : undefined)),
    };
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, plugins: [accuracy, stopper] })).run();
    const before = metricsOf(dir);
    const end = await new Trainer(options({ runDir: dir, plugins: [accuracy, stopper], resume: true })).run();
    expect(end).toMatchObject({ status: 'stopped', step: 20, reason: 'enough' });
    expect(metricsOf(dir)).toEqual(before);
    expect(before.map((r) => r.step)).toEqual([0, 10, 20]);
    expect(new RunStore(dir).readSummary()).toMatchObject({ status: 'stopped', steps: 20, reason: 'enough' });
  });
});

test('live tensor count is flat over 200 steps', async () => {
  const counts: number[] = [];
  const trainer = new Trainer(options({ steps: 200, evalEvery: 20, runDir: path.join(tmp(), 'run') }));
  trainer.events.on('evaluation', () => counts.push(tf.memory().numTensors));
  await trainer.run();
  expect(counts.length).toBe(11);
  expect(new Set(counts.slice(1)).size).toBe(1);
  // Mini-batch sampling makes tensors every step too: still flat.
  const mini: number[] = [];
  const t2 = new Trainer(options({ steps: 60, evalEvery: 20, batchSize: 8 }));
  t2.events.on('evaluation', () => mini.push(tf.memory().numTensors));
  await t2.run();
  expect(new Set(mini.slice(1)).size).toBe(1);
});

describe('run store and resume', () => {
  test('N steps, then resume to 2N, equals 2N uninterrupted (bitwise), mini-batch included', async () => {
    for (const batchSize of [null, 8]) {
      const dirA = path.join(tmp(), 'a');
      const dirB = path.join(tmp(), 'b');
      await new Trainer(options({ runDir: dirA, steps: 80, batchSize })).run();
      await new Trainer(options({ runDir: dirB, steps: 40, batchSize })).run();
      const end = await new Trainer(options({ runDir: dirB, steps: 80, batchSize, resume: true })).run();
      expect(end.status).toBe('completed');
      expect(metricsOf(dirB)).toEqual(metricsOf(dirA));
      expect(metricsOf(dirA).map((r) => r.step)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
      const summary = new RunStore(dirB).readSummary()!;
      expect(summary.status).toBe('completed');
      expect(summary.steps).toBe(80);
    }
  });

  test('an existing run directory is not overwritten without resume', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 10 })).run();
    await expect(new Trainer(options({ runDir: dir, steps: 10 })).run()).rejects.toThrow(
      /already holds a run; resume it/,
    );
  });

  test('records after the last checkpoint are dropped and recomputed, a cut-short line recovered, never duplicated', async () => {
    const ref = path.join(tmp(), 'ref');
    await new Trainer(options({ runDir: ref, steps: 40, checkpointEvery: 20 })).run();
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 40, checkpointEvery: 20 })).run();
    // Simulate a crash after step 30 was logged, mid-way through writing step 40's line, and
    // before the step-40 checkpoint: drop that checkpoint and cut the log short.
    const store = new RunStore(dir);
    fs.rmSync(path.join(store.checkpointDir, 'step-000000040.ckpt'));
    fs.rmSync(store.summaryPath);
    const text = fs.readFileSync(store.metricsPath, 'utf8');
    fs.writeFileSync(store.metricsPath, text.slice(0, text.length - 20));
    const logs: string[] = [];
    const t = new Trainer(options({ runDir: dir, steps: 40, checkpointEvery: 20, resume: true }));
    t.events.on('log', (e) => logs.push(e.message));
    await t.run();
    expect(logs.join('\n')).toMatch(/cut short/);
    expect(metricsOf(dir)).toEqual(metricsOf(ref));
  });

  test('a corrupted newest checkpoint falls back to the previous one; none valid trains again from step 0', async () => {
    const ref = path.join(tmp(), 'ref');
    await new Trainer(options({ runDir: ref, steps: 40 })).run();
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 30 })).run();
    const store = new RunStore(dir);
    const newest = path.join(store.checkpointDir, 'step-000000030.ckpt');
    const bytes = fs.readFileSync(newest);
    bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    fs.writeFileSync(newest, bytes);
    const logs: string[] = [];
    const t = new Trainer(options({ runDir: dir, steps: 40, resume: true }));
    t.events.on('log', (e) => logs.push(e.message));
    await t.run();
    expect(logs.join('\n')).toMatch(/skipping corrupted checkpoint .*step-000000030.*checksum mismatch/);
    expect(metricsOf(dir)).toEqual(metricsOf(ref));
    for (const f of fs.readdirSync(store.checkpointDir)) fs.writeFileSync(path.join(store.checkpointDir, f), 'garbage');
    fs.rmSync(store.summaryPath);
    const again: string[] = [];
    const t2 = new Trainer(options({ runDir: dir, steps: 50, resume: true }));
    t2.events.on('log', (e) => again.push(e.message));
    await t2.run();
    expect(again.join('\n')).toMatch(/training again from step 0/);
    const ref50 = path.join(tmp(), 'ref50');
    await new Trainer(options({ runDir: ref50, steps: 50 })).run();
    expect(metricsOf(dir)).toEqual(metricsOf(ref50));
  });

  test('a malformed record in the middle of metrics.jsonl is an error naming the line', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20 })).run();
    const store = new RunStore(dir);
    const lines = fs.readFileSync(store.metricsPath, 'utf8').split('\n');
    lines[1] = '{"step": oops';
    fs.writeFileSync(store.metricsPath, lines.join('\n'));
    fs.rmSync(store.summaryPath);
    await expect(new Trainer(options({ runDir: dir, steps: 30, resume: true })).run()).rejects.toThrow(
      /metrics\.jsonl: line 2 is not valid JSON/,
    );
  });

  test('kill -9 mid-run, then resume, gives exactly the uninterrupted metrics', async () => {
    const script = path.join(__dirname, 'fixtures/killableRun.js');
    const ref = path.join(tmp(), 'ref');
    const r = spawnSync(process.execPath, [script, ref, '60', '0'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/done completed 60/);
    const dir = path.join(tmp(), 'run');
    const child = spawn(process.execPath, [script, dir, '60', '0', '15'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (/checkpoint 30/.test(d.toString())) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    expect(child.signalCode).toBe('SIGKILL');
    const partial = metricsOf(dir);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(13);
    const again = spawnSync(process.execPath, [script, dir, '60', '1'], { encoding: 'utf8' });
    expect(again.stdout).toMatch(/done completed 60/);
    expect(metricsOf(dir)).toEqual(metricsOf(ref));
    expect(metricsOf(dir).map((x) => x.step)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
  });
});

test('NaN in the loss stops the run at that step, naming it, and the last good checkpoint stays intact', async () => {
  const dir = path.join(tmp(), 'run');
  const poison = {
    name: 'poison',
    apply: (t: Trainer) =>
      t.hooks.loss.tap('poison', (terms, ctx) => (ctx.step === 27 ? { ...terms, nan: tf.scalar(NaN) } : terms)),
  };
  const trainer = new Trainer(options({ runDir: dir, steps: 40, plugins: [accuracy, poison] }));
  const err = await trainer.run().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NonFiniteError);
  expect((err as NonFiniteError).step).toBe(27);
  expect((err as Error).message).toMatch(/at step 27/);
  const store = new RunStore(dir);
  expect(store.readSummary()).toMatchObject({ status: 'failed', steps: 26 });
  const ckpt = store.latestCheckpoint();
  expect(ckpt!.data.step).toBe(20);
  for (const t of ckpt!.data.tensors.values()) expect(t.values.every(Number.isFinite)).toBe(true);
  // The parameters themselves going non-finite is caught the same way.
  const blowUp = {
    name: 'blow-up',
    apply: (t: Trainer) =>
      t.hooks.afterStep.tap('blow-up', ({ step }) => {
        if (step === 3) t.model.params.get('out')!.assign(tf.fill([8, 7], Infinity));
      }),
  };
  const e2 = await new Trainer(options({ plugins: [blowUp] })).run().catch((e: unknown) => e);
  expect((e2 as NonFiniteError).step).toBe(4);
});
