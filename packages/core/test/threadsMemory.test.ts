/**
 * Issue 12: memory stays flat on the threaded wasm build. Two pool threads, a model wide enough
 * that XNNPACK splits its products between them (a [480, 256] × [256, 128] product a step), 300
 * steps: the live tensor count, the wasm heap (shared with the pool's workers, so a leak in a
 * worker shows there) and the process's resident memory must not grow after the warm-up.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Trainer, useBackend } from '../src';
import { backendThreads } from '../src/internal';
import { addTask, splitHalf, tinyOptions, TinyModel } from './fixtures/tiny';

beforeAll(async () => {
  await useBackend('wasm', { threads: 2 });
});

test('300 steps on two threads: tensors, the wasm heap and resident memory stay flat', async () => {
  expect(backendThreads()).toBe(2);
  const task = addTask(31);
  const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
  const samples: { step: number; tensors: number; heap: number; rss: number }[] = [];
  const trainer = new Trainer(
    tinyOptions({ task, split: splitHalf(task, 0), model: new TinyModel(task, 0, 128), steps: 300, evalEvery: 25 }),
  );
  trainer.events.on('evaluation', ({ step }: { step: number }) =>
    samples.push({ step, tensors: tf.memory().numTensors, heap: heapBytes(), rss: process.memoryUsage().rss }),
  );
  await trainer.run();
  const after = samples.filter((s) => s.step >= 75); // the warm-up allocates the heap once
  expect(after.length).toBe(10);
  expect(new Set(after.map((s) => s.tensors)).size).toBe(1);
  expect(new Set(after.map((s) => s.heap)).size).toBe(1);
  // Resident memory wanders with the garbage collector; a leak of even one activation a step
  // ([480, 256] floats, 480 KiB) would add over 100 MiB across these 225 steps.
  const growth = after[after.length - 1]!.rss - after[0]!.rss;
  expect(growth).toBeLessThan(32 * 2 ** 20);
}, 300000);
