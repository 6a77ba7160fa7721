import { type MetricsRecord, Trainer, useBackend } from '@grokscope/core';
import { Transformer } from '@grokscope/models';
import { accuracyProbe, runEvents } from '../src';
import { addTask, splitFirst } from './smallTask';

test("summary events are the run-events plugin's rules over the accuracy probe's records", async () => {
  await useBackend('wasm');
  const task = addTask(7);
  const split = splitFirst(task, 30);
  // Thresholds low enough that this short run reaches them at some evaluation.
  const thresholds = { memorised: 0.5, grokked: 0.3 };
  const model = new Transformer(task, { dModel: 16, heads: 2, dMlp: 32 }, 0);
  const trainer = new Trainer({
    task,
    split,
    model,
    steps: 200,
    evalEvery: 10,
    seed: 0,
    optimizer: { name: 'adamw', lr: 1e-2, weightDecay: 1 },
    plugins: [accuracyProbe(), runEvents(thresholds)],
  });
  const records: MetricsRecord[] = [];
  trainer.events.on('evaluation', (r) => records.push(r));
  const end = await trainer.run();
  // Independently: the first record at or above each threshold.
  const first = (tag: string, th: number) => records.find((r) => r.metrics[tag]! >= th)?.step ?? null;
  expect(end.events).toEqual({ memorised: first('accuracy/train', 0.5), grokked: first('accuracy/test', 0.3) });
  expect(end.events.memorised).not.toBeNull();
  model.dispose();
  trainer.dispose();
});

test('without run-events no event is reported: core reads no metric itself', async () => {
  await useBackend('wasm');
  const task = addTask(5);
  const model = new Transformer(task, { dModel: 8, heads: 2, dMlp: 16 }, 0);
  const trainer = new Trainer({
    task,
    split: splitFirst(task, 20),
    model,
    steps: 50,
    evalEvery: 10,
    seed: 0,
    optimizer: { name: 'adamw', lr: 3e-2, weightDecay: 1 },
    plugins: [accuracyProbe()],
  });
  const records: MetricsRecord[] = [];
  trainer.events.on('evaluation', (r) => records.push(r));
  const end = await trainer.run();
  expect(records.some((r) => r.metrics['accuracy/train']! > 0)).toBe(true);
  expect(end.events).toEqual({ memorised: null, grokked: null });
  model.dispose();
  trainer.dispose();
});
