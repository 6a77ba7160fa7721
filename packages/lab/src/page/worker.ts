// The lab's training worker: the same Trainer, tasks, models, probes and interventions as the
// CLI, built from the same config (packages/cli/src/buildTrainer.ts does it for Node), running
// off the page's thread so the page stays responsive. Its run is kept in a MemoryRunStore, whose
// files are the run directory the page offers for download.
import { parseConfig } from '@grokscope/base';
import * as tf from '@tensorflow/tfjs-core';
// Registers the WebGL backend; it is used only when the page asks for it (wasm is the default).
import '@tensorflow/tfjs-backend-webgl';
import {
  MemoryRunStore,
  type MetricsRecord,
  optimizerConfigSchema,
  type Plugin,
  Trainer,
  useBrowserBackend,
} from '@grokscope/core/browser';
import { runIdentity } from '@grokscope/core/facts';
import { modelKinds } from '@grokscope/models';
import { createBuiltinPlugin, normMatched, runEvents, stopAfterGrokked } from '@grokscope/probes';
import { splitTask, taskKinds, type SplitUnit } from '@grokscope/tasks';
import type { FromWorker, ToWorker } from './protocol';

interface LabRunConfig {
  seed: number;
  task: { kind: string; trainFraction: number; split: SplitUnit; [k: string]: unknown };
  model: { kind: string; [k: string]: unknown };
  optimizer: Record<string, unknown>;
  train: { steps: number; evalEvery: number; batchSize: number | null; shards?: number; stopAfterGrokked?: number };
  probes: string[];
  interventions: { name: string; options: Record<string, unknown> }[];
  thresholds: { memorised: number; grokked: number };
}

const post = (m: FromWorker) => (self as unknown as { postMessage(m: FromWorker): void }).postMessage(m);

let trainer: Trainer | undefined;
let store: MemoryRunStore | undefined;

/** The plugins planRun (the CLI) gives a config, in its order: probes, interventions, stop rule, run events. */
function plugins(config: LabRunConfig, reference: readonly MetricsRecord[] | undefined): Plugin[] {
  const out: Plugin[] = config.probes.map((name, i) => createBuiltinPlugin(name, {}, `probes[${i}]`));
  config.interventions.forEach((ref, i) => {
    // The reference of the norm-matched control is a run of this page, not a folder.
    if (ref.name === 'norm-matched') out.push(normMatched({ reference: reference ?? [] }));
    else out.push(createBuiltinPlugin(ref.name, ref.options, `interventions[${i}]`));
  });
  const after = config.train.stopAfterGrokked;
  if (after !== undefined) out.push(stopAfterGrokked({ after, threshold: config.thresholds.grokked }));
  out.push(runEvents(config.thresholds));
  return out;
}

/**
 * Starts a backend: wasm (core's set-up, the CLI's numerics) or cpu through core; WebGL, which
 * core does not know (GPU float32, not the CLI's numerics), here.
 */
async function startBackend(name: string): Promise<string> {
  if (name !== 'webgl')
    // The wasm binaries are served beside the page (no CDN): the folder `wasm/` next to this script.
    return useBrowserBackend(name, { wasmPaths: new URL('wasm/', self.location.href).href });
  if (!(await tf.setBackend('webgl'))) throw new Error('WebGL is not available in this browser');
  await tf.ready();
  return tf.getBackend();
}

/** The task, split and model a config names, built as the CLI builds them. */
function build(config: LabRunConfig) {
  const taskKind = taskKinds.get(config.task.kind);
  const task = taskKind.create(parseConfig(taskKind.schema, config.task, 'task'), { baseDir: '.' });
  const split = splitTask(task.examples, config.task.trainFraction, config.seed, config.task.split);
  const modelKind = modelKinds.get(config.model.kind);
  const model = modelKind.create(task, parseConfig(modelKind.schema, config.model, 'model'), config.seed);
  return { task, split, model };
}

/** Milliseconds per training step of `config` on each backend, over a few steps after a warm-up. */
async function benchmark(m: Extract<ToWorker, { type: 'benchmark' }>): Promise<void> {
  const config = m.config as unknown as LabRunConfig;
  const STEPS = 15;
  const WARM = 5;
  for (const name of m.backends) {
    try {
      const backend = await startBackend(name);
      const { task, split, model } = build(config);
      const t = new Trainer({
        task,
        split,
        model,
        steps: STEPS,
        evalEvery: STEPS,
        optimizer: optimizerConfigSchema.parse(config.optimizer),
        seed: config.seed,
      });
      let from = 0;
      t.events.on('step', ({ step }) => {
        if (step === WARM) from = performance.now();
      });
      let to = 0;
      t.events.on('step', ({ step }) => {
        if (step === STEPS) to = performance.now();
      });
      await t.run();
      t.dispose();
      model.dispose();
      post({ type: 'measured', backend, msPerStep: (to - from) / (STEPS - WARM) });
    } catch (err) {
      post({ type: 'measured', backend: name, msPerStep: null, error: (err as Error).message });
    }
  }
}

async function start(m: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const backend = await startBackend(m.backend);
  post({ type: 'ready', backend });
  const config = m.config as unknown as LabRunConfig;
  const { task, split, model } = build(config);
  store = new MemoryRunStore('lab');
  trainer = new Trainer({
    task,
    split,
    model,
    steps: config.train.steps,
    evalEvery: config.train.evalEvery,
    batchSize: config.train.batchSize,
    // A config's shards are computed one after another here (no worker threads): the CLI's numbers.
    shards: config.train.shards,
    optimizer: optimizerConfigSchema.parse(config.optimizer),
    seed: config.seed,
    store,
    plugins: plugins(config, m.reference),
    run: { config: m.config, identity: runIdentity(config) },
    backend,
    versions: m.versions,
  });
  let t0 = performance.now();
  let since = 0;
  let msPerStep = NaN;
  let lastPost = 0;
  trainer.events.on('step', ({ step, totalSteps }) => {
    since++;
    const now = performance.now();
    if (now - lastPost < 100 && step !== totalSteps) return;
    msPerStep = (now - t0) / since;
    post({ type: 'progress', step, totalSteps, msPerStep });
    t0 = now;
    since = 0;
    lastPost = now;
  });
  trainer.events.on('evaluation', (record) => post({ type: 'evaluation', record }));
  try {
    const end = await trainer.run();
    post({
      type: 'done',
      end: { status: end.status, step: end.step, reason: end.reason, events: end.events },
      files: store.files(),
      msPerStep,
    });
  } catch (err) {
    post({ type: 'failed', message: (err as Error).message, files: store.files() });
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'start') {
    start(m).catch((err: unknown) =>
      post({ type: 'failed', message: (err as Error).message ?? String(err), files: store?.files() ?? {} }),
    );
  } else if (m.type === 'benchmark') {
    void benchmark(m);
  } else if (m.type === 'pause' && trainer) {
    const t = trainer;
    // Told once the loop is held, with the step it holds at: no progress message follows.
    void t.pause().then(() => {
      if (t.paused) post({ type: 'paused', step: t.step });
    });
  } else if (m.type === 'resume' && trainer) {
    trainer.resume();
    post({ type: 'resumed', step: trainer.step });
  } else if (m.type === 'stop') {
    trainer?.interrupt('stopped in the lab');
  }
};
