/**
 * The browser entry's trainer (`@grokscope/core/browser`) is the Node trainer less the file
 * store: with a MemoryRunStore it logs exactly the records the Node entry's Trainer writes to a
 * run directory, its files are those files byte for byte (less wall times and dates), a run
 * paused and resumed equals one never paused, and it refuses a run directory it cannot write.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, MemoryRunStore, Trainer as BrowserTrainer } from '../src/browser';
import { Trainer, useBackend } from '../src';
import { addTask, metricsOf, splitHalf, TinyModel, tinyOptions } from './fixtures/tiny';

const task = addTask(7);
const options = () => tinyOptions({ task, split: splitHalf(task, 0), model: new TinyModel(task, 0), steps: 60 });
const withoutWall = (records: { step: number; metrics: Record<string, number> }[]) =>
  records.map((r) => ({ step: r.step, metrics: r.metrics }));

beforeAll(async () => {
  await useBackend('wasm');
});

test('a MemoryRunStore run logs exactly what the Node trainer writes to disk, in the same file format', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-browser-entry-')), 'run');
  await new Trainer({ ...options(), runDir: dir }).run();
  const store = new MemoryRunStore();
  await new BrowserTrainer({ ...options(), store }).run();
  expect(withoutWall(store.readMetrics().records)).toEqual(metricsOf(dir));
  const files = store.files();
  // The same serialisation as the file store: only wall times, dates and the runtime differ.
  const scrub = (text: string) =>
    text
      .replace(/"wallMs":\s*\d+/g, '"wallMs":0')
      .replace(/"createdAt": "[^"]*"/, '')
      .replace(/\s*"node": "[^"]*",?/, '');
  expect(scrub(files['metrics.jsonl']!)).toBe(scrub(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')));
  expect(scrub(files['summary.json']!)).toBe(scrub(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')));
  const manifest = JSON.parse(files['manifest.json']!);
  const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  expect(manifest.versions.node).toBeUndefined(); // the browser trainer does not claim Node
  expect({ ...manifest, createdAt: 0, versions: 0 }).toEqual({ ...onDisk, createdAt: 0, versions: 0 });
});

test('pause holds the run between steps and resume continues it to the same records as a run never paused', async () => {
  const straight = new MemoryRunStore();
  await new BrowserTrainer({ ...options(), store: straight }).run();
  const store = new MemoryRunStore();
  const trainer = new BrowserTrainer({ ...options(), store });
  let held: Promise<void> | undefined;
  trainer.events.on('step', ({ step }) => {
    if (step === 25) held = trainer.pause();
  });
  const running = trainer.run();
  while (!held) await new Promise((r) => setTimeout(r, 5));
  await held; // resolves once the loop is held: the step stops advancing
  expect(trainer.paused).toBe(true);
  expect(trainer.step).toBe(25);
  await new Promise((r) => setTimeout(r, 100));
  expect(trainer.step).toBe(25);
  trainer.resume();
  const end = await running;
  expect(end.status).toBe('completed');
  expect(withoutWall(store.readMetrics().records)).toEqual(withoutWall(straight.readMetrics().records));
});

test('a pause asked for as the run ends resolves with the run', async () => {
  const trainer = new BrowserTrainer({ ...options(), store: new MemoryRunStore() });
  let held: Promise<void> | undefined;
  trainer.events.on('step', ({ step, totalSteps }) => {
    if (step === totalSteps) held = trainer.pause();
  });
  await trainer.run();
  await expect(held).resolves.toBeUndefined();
});

test('interrupt ends a paused run', async () => {
  const trainer = new BrowserTrainer({ ...options(), store: new MemoryRunStore() });
  let held: Promise<void> | undefined;
  trainer.events.on('step', ({ step }) => {
    if (step === 5) held = trainer.pause();
  });
  const running = trainer.run();
  while (!held) await new Promise((r) => setTimeout(r, 5));
  await held;
  trainer.interrupt('stop');
  expect((await running).status).toBe('interrupted');
});

test('the browser trainer refuses a run directory: it has no file system to write it to', () => {
  expect(() => new BrowserTrainer({ ...options(), runDir: '/tmp/x' })).toThrow(ConfigError);
  expect(() => new BrowserTrainer({ ...options(), runDir: '/tmp/x' })).toThrow(/MemoryRunStore/);
});
