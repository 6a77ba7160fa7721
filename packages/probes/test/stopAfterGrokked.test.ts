import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EvalStage, RunStore, Trainer, useBackend, type Plugin } from '@grokscope/core';
import { Transformer } from '@grokscope/models';
import { stopAfterGrokked } from '../src';
import { addTask, splitFirst } from './smallTask';

beforeAll(async () => {
  await useBackend('wasm');
});

const task = addTask(7);
const split = splitFirst(task, 30);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-stop-'));

/** A scripted test accuracy: 0.5 before `at`, 0.97 from `at` on — the run "groks" at a known step. */
const scriptedAccuracy = (at: number): Plugin => ({
  name: 'scripted',
  apply: (t) =>
    t.hooks.evaluate.tapPromise(
      { name: 'scripted', stage: EvalStage.measure },
      async (ev) => void (ev.metrics['accuracy/test'] = ev.step >= at ? 0.97 : 0.5),
    ),
});
const trainer = (over: object) =>
  new Trainer({
    task,
    split,
    model: new Transformer(task, { dModel: 8, heads: 2, dMlp: 16 }, 0),
    steps: 200,
    evalEvery: 10,
    seed: 0,
    plugins: [scriptedAccuracy(30), stopAfterGrokked({ after: 40 })],
    ...over,
  });

test('a run stops `after` steps past t_grok, with the reason, instead of running to the cap', async () => {
  const dir = path.join(tmp(), 'run');
  const end = await trainer({ runDir: dir }).run();
  expect(end).toMatchObject({
    status: 'stopped',
    step: 70,
    reason: 'grokked at 30; stopped 40 steps later (train.stopAfterGrokked 40)',
  });
  expect(new RunStore(dir).readMetrics().records.map((r) => r.step)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
});

test('a run that never groks runs to its cap (censored there)', async () => {
  const end = await trainer({ steps: 50, plugins: [scriptedAccuracy(1000), stopAfterGrokked({ after: 0 })] }).run();
  expect(end).toMatchObject({ status: 'completed', step: 50 });
});

test('interrupted after t_grok and resumed, it stops exactly where an uninterrupted run does', async () => {
  const dir = path.join(tmp(), 'run');
  const t = trainer({ runDir: dir });
  t.events.on('evaluation', (r) => r.step === 50 && t.interrupt());
  expect((await t.run()).status).toBe('interrupted');
  const end = await trainer({ runDir: dir, resume: true }).run();
  expect(end).toMatchObject({ status: 'stopped', step: 70 });
});
