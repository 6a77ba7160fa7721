import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStore, Trainer, useBackend, type Plugin } from '@grokscope/core';
import { Transformer } from '@grokscope/models';
import { addTask, splitFirst } from './smallTask';
import { accuracyProbe, mixing, spectralEntropyProbe } from '../src';

beforeAll(async () => {
  await useBackend('wasm');
});

const task = addTask(11);
const split = splitFirst(task, 70);

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
const records = (dir: string) =>
  new RunStore(dir).readMetrics().records.map((r) => ({ step: r.step, metrics: r.metrics }));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-mixing-'));

test('mixing changes training only: evaluations at step 0 are identical, later ones differ', async () => {
  const [plain, mixed] = [path.join(tmp(), 'plain'), path.join(tmp(), 'mixed')];
  await trainer([accuracyProbe(), spectralEntropyProbe()], { runDir: plain }).run();
  await trainer([accuracyProbe(), spectralEntropyProbe(), mixing({ alpha: 0.5 })], { runDir: mixed }).run();
  const [r0, r1] = [records(plain), records(mixed)];
  expect(r1[0]).toEqual(r0[0]);
  expect(r1[4]!.metrics['loss/train']).not.toBe(r0[4]!.metrics['loss/train']);
});

test('a mixed run resumes bit-for-bit: the permutation stream is checkpointed', async () => {
  const [whole, split2] = [path.join(tmp(), 'whole'), path.join(tmp(), 'split')];
  await trainer([accuracyProbe(), mixing({ alpha: 0.5 })], { runDir: whole }).run();
  await trainer([accuracyProbe(), mixing({ alpha: 0.5 })], { runDir: split2, steps: 20 }).run();
  await trainer([accuracyProbe(), mixing({ alpha: 0.5 })], { runDir: split2, resume: true }).run();
  expect(records(split2)).toEqual(records(whole));
});

test('alpha outside [0, 1] is a named error', async () => {
  await expect(trainer([mixing({ alpha: 1.5 })]).run()).rejects.toThrow(
    /interventions.mixing.alpha: must be in \[0, 1\], got 1.5/,
  );
});
