import '../backend/registerGradients';
import * as tf from '@tensorflow/tfjs-core';
import { EventEmitter } from 'eventemitter3';
import { ConfigError, GrokscopeError, NonFiniteError } from '../errors';
import { DEFAULT_OPTIMIZER, DEFAULT_THRESHOLDS, isFinished, METRIC_TAGS } from '../facts';
import { crossEntropy } from '../loss/crossEntropy';
import { createOptimizer } from '../optim/createOptimizer';
import type { NamedGradients, Optimizer, OptimizerConfig } from '../optim/optimizer';
import type { Batch, ForwardRequest, LossTerms, MetricsRecord, Model, Plugin, Split, Task } from '../plugin';
import { Rng, type RngState } from '../rng';
import type { CheckpointData, StoredTensor } from '../store/checkpointFile';
import { diffConfigs } from '../store/diffConfigs';
import { backendThreads } from '../backend/wasmThreads';
import { type Manifest, RunStore, type WriteGuard } from '../store/runStore';
import { checkForwardRequests } from './checkTaps';
import { SharedEvaluation } from './evaluation';
import type { RunEnd, RunStatus, TrainerEvents } from './events';
import { createHooks, type PluginStates } from './hooks';
import { interceptTaps, type TapTimings } from './interceptTaps';

export interface TrainerOptions {
  readonly task: Task;
  readonly split: Split;
  readonly model: Model;
  /** Total optimiser steps (a cap: a `shouldStop` plugin may end the run earlier). */
  readonly steps: number;
  /** Evaluate every this many steps, at step 0 and at the last step. */
  readonly evalEvery: number;
  /** Checkpoint every this many steps (default: every evaluation, so nothing logged is recomputed). */
  readonly checkpointEvery?: number;
  readonly optimizer?: OptimizerConfig;
  /** Examples per step; omitted or null: full batch (the study's setting). */
  readonly batchSize?: number | null;
  readonly seed: number;
  /** Run directory; omitted: nothing is written (tests, notebooks). */
  readonly runDir?: string;
  /** Continue the run in `runDir` from its last checkpoint instead of refusing to overwrite it. */
  readonly resume?: boolean;
  readonly plugins?: readonly Plugin[];
  /** The lock the caller holds on `runDir`: checked before every write (see `WriteGuard`). */
  readonly writeGuard?: WriteGuard;
  /** The fully resolved config, recorded in the manifest. */
  readonly config?: unknown;
  /** Backend name for the manifest (the caller selected it with `useBackend`). */
  readonly backend?: string;
  /** Package versions for the manifest, beyond core's and TensorFlow.js's. */
  readonly versions?: Readonly<Record<string, string>>;
  /** Thresholds for the summary's events (defaults: `DEFAULT_THRESHOLDS`, 0.99 train, 0.95 test). */
  readonly thresholds?: { readonly memorised?: number; readonly grokked?: number };
}

/** The optimiser of a run that names none (owned by `facts.ts`; re-exported here as before). */
export { DEFAULT_OPTIMIZER };

/** Yield to the event loop at least this often, so signals and progress output stay live. */
const YIELD_MS = 50;

/**
 * Trains a model on a task. Extension points are `hooks` (may change the run); observers use
 * `events`. A run is resumable bit-for-bit: parameters, optimiser moments, RNG states, step,
 * wall time and every plugin's state go into each checkpoint.
 */
export class Trainer {
  readonly hooks = createHooks();
  readonly events = new EventEmitter<TrainerEvents>();
  readonly task: Task;
  readonly split: Split;
  readonly model: Model;
  readonly options: TrainerOptions;
  readonly store: RunStore | undefined;
  /** Milliseconds and calls per `hook:plugin` tap. */
  readonly timings: TapTimings = new Map();
  #optimizer: Optimizer;
  #step = 0;
  #wallMs = 0;
  #batchRng: Rng;
  #stopRequest: { status: RunStatus; reason: string } | undefined;
  #events = { memorised: null as number | null, grokked: null as number | null };
  /** Step of the newest checkpoint on disk for this run (null: none yet), for what a failure message promises. */
  #lastCheckpoint: number | null = null;
  /** Set once the run directory is opened: failures before that leave it exactly as it was. */
  #opened = false;
  #train: { a: tf.Tensor1D; b: tf.Tensor1D; labels: tf.Tensor1D; mask: tf.Tensor2D } | undefined;

  constructor(options: TrainerOptions) {
    validate(options);
    this.options = options;
    this.task = options.task;
    this.split = options.split;
    this.model = options.model;
    this.store = options.runDir === undefined ? undefined : new RunStore(options.runDir, options.writeGuard);
    this.#optimizer = createOptimizer(options.optimizer ?? DEFAULT_OPTIMIZER);
    this.#batchRng = Rng.derive(options.seed, 'batch');
    // Before interceptTaps: an unknown tap in a forward request then fails as the plugin's error.
    checkForwardRequests(this.hooks.forward as never, this.model);
    interceptTaps(this.hooks as never, this.timings);
    for (const p of options.plugins ?? []) p.apply(this);
  }

  /** Steps completed so far. */
  get step(): number {
    return this.#step;
  }

  get optimizer(): Optimizer {
    return this.#optimizer;
  }

  /** Asks the run to end after the current step, checkpointed (Ctrl-C, SIGTERM, a UI button). */
  interrupt(reason = 'interrupted'): void {
    this.#stopRequest ??= { status: 'interrupted', reason };
  }

  /** Runs to the step cap, a stop reason, an interrupt or an error. Resolves with how it ended. */
  async run(): Promise<RunEnd> {
    const t0 = performance.now();
    let wallBase = 0;
    let end: RunEnd;
    try {
      await this.hooks.setup.promise(this);
      const previous = await this.#open();
      this.#opened = true;
      if (previous) return previous;
      wallBase = this.#wallMs;
      this.#prepareTrainData();
      const wall = () => wallBase + (performance.now() - t0);
      if (this.#step === 0 && !this.#hasRecordAt(0)) await this.#evaluate(0, wall());
      let lastYield = performance.now();
      let stopReason: string | undefined;
      while (this.#step < this.options.steps && !this.#stopRequest && stopReason === undefined) {
        const step = this.#step + 1;
        this.#trainStep(step);
        this.#step = step;
        const isLast = step === this.options.steps;
        if (step % this.options.evalEvery === 0 || isLast) stopReason = await this.#evaluate(step, wall());
        if (step % (this.options.checkpointEvery ?? this.options.evalEvery) === 0 || isLast || stopReason !== undefined) {
          this.#wallMs = wall();
          await this.#checkpoint();
        }
        if (performance.now() - lastYield > YIELD_MS) {
          await new Promise<void>((r) => setImmediate(r));
          lastYield = performance.now();
        }
      }
      this.#wallMs = wall();
      if (this.#stopRequest) {
        await this.#checkpoint();
        end = this.#end(this.#stopRequest.status, this.#stopRequest.reason);
      } else if (stopReason !== undefined) {
        end = this.#end('stopped', stopReason);
      } else {
        end = this.#end('completed');
      }
    } catch (err) {
      let error = err instanceof Error ? err : new Error(String(err));
      if (error instanceof NonFiniteError && error.lastCheckpoint === undefined) error = new NonFiniteError(error.step, error.what, this.#lastCheckpoint);
      this.#wallMs = wallBase + (performance.now() - t0);
      end = this.#end('failed', error.message, error);
      this.events.emit('error', error);
    } finally {
      this.#disposeTrainData();
    }
    await this.#finish(end);
    if (end.error) throw end.error;
    return end;
  }

  /** Frees the optimiser's state (the model is the caller's). */
  dispose(): void {
    this.#optimizer.dispose();
    this.#disposeTrainData();
  }

  // ---- opening a run directory -------------------------------------------------------------

  /**
   * Fresh run: manifest. Resume: restore the newest checkpoint that the surviving metrics cover
   * and that belongs to this run, drop later records and checkpoints. Returns the end when there
   * is nothing left to do. Throws before writing anything when the directory cannot be continued.
   */
  async #open(): Promise<RunEnd | undefined> {
    const store = this.store;
    if (!store) return undefined;
    if (!store.exists()) {
      const orphaned = store.orphanedFiles();
      if (orphaned.length > 0) {
        throw new GrokscopeError(
          'E_RUN_DAMAGED',
          `${store.dir} holds run files (${orphaned.join(', ')}) but no manifest.json, so it cannot be resumed or safely reused; ` +
            'restore manifest.json if you have it, or delete the directory (or choose another output directory) to start over',
        );
      }
      store.writeManifest(this.#manifest());
      return undefined;
    }
    if (!this.options.resume) {
      throw new GrokscopeError(
        'E_RUN_EXISTS',
        `${store.dir} already holds a run; resume it (--resume / resume: true) or choose another output directory`,
      );
    }
    const warn = (message: string) => this.events.emit('log', { level: 'warn', message });
    const removed = store.removeStaleTempFiles();
    if (removed.length > 0) warn(`removed ${removed.length} unfinished write(s) left by a killed process: ${removed.join(', ')}`);
    const { records, truncatedTail } = store.readMetrics();
    if (truncatedTail) warn(`${store.metricsPath}: the last line was cut short by a crash; it is dropped and recomputed`);
    const ckpt = this.#resumePoint(store, records, warn);
    const summary = store.readSummary();
    const step = ckpt?.step ?? 0;
    // A finished run stays finished: a completed run up to its cap, and a run a shouldStop hook
    // ended (resuming it would train past the step where it chose to stop).
    const finished = summary && summary.steps === step && isFinished(summary, this.options.steps);
    if (!finished && step > this.options.steps) {
      throw new ConfigError('train.steps', `${store.dir} is already at step ${step} (its newest usable checkpoint), past the step cap ${this.options.steps}; give a cap of at least ${step}`);
    }
    // From here on the directory changes: later records and checkpoints go, the state is restored.
    store.removeCheckpointsAfter(step);
    const kept = store.truncateMetricsAfter(ckpt ? step : -1);
    for (const r of kept) this.#noteEvents(r);
    if (ckpt) {
      const states = this.#loadCheckpoint(ckpt);
      this.#checkPluginStates(states, ckpt.step);
      await this.hooks.restore.promise(states as never);
      this.events.emit('log', { level: 'info', message: `resuming ${store.dir} from step ${ckpt.step}` });
    }
    if (finished) return this.#end(summary.status, summary.reason);
    store.clearSummary();
    return undefined;
  }

  /**
   * The checkpoint to resume from: the newest that verifies, belongs to this run, and whose every
   * evaluation (step 0 and each multiple of evalEvery up to it) is in the surviving log, so the
   * final log equals an uninterrupted run's. None such: start again from step 0 (null).
   */
  #resumePoint(store: RunStore, records: readonly MetricsRecord[], warn: (m: string) => void): CheckpointData | null {
    const logged = new Set(records.map((r) => r.step));
    const candidates = store.checkpoints();
    const problems: string[] = [];
    for (const { step, path: file } of candidates) {
      let data: CheckpointData;
      try {
        data = store.loadCheckpoint(file);
      } catch (err) {
        warn(`skipping corrupted checkpoint ${(err as Error).message}`);
        problems.push(file);
        continue;
      }
      this.#checkIdentity(data, file);
      const missing: number[] = [];
      for (let s = 0; s <= step; s += this.options.evalEvery) if (!logged.has(s)) missing.push(s);
      if (missing.length === 0) {
        if (problems.length > 0) warn(`resuming from the older checkpoint at step ${step}`);
        return data;
      }
      const shown = missing.length > 5 ? `${missing.slice(0, 5).join(', ')}, … (${missing.length} in all)` : missing.join(', ');
      warn(`${store.metricsPath} lacks the evaluation(s) at step ${shown} before the checkpoint at step ${step}; not resuming from it`);
      problems.push(file);
    }
    if (candidates.length > 0) warn(`no checkpoint is covered by ${store.metricsPath}: training again from step 0 (the result is the same run)`);
    return null;
  }

  /** What a checkpoint must match to continue this run: the config (but the step cap), optimiser and parameter shapes. */
  #identity(): RunIdentity {
    const config = this.options.config === undefined ? null : withoutStepCap(this.options.config);
    const shapes: Record<string, number[]> = {};
    for (const [name, v] of this.model.params) shapes[name] = [...v.shape];
    return {
      config,
      optimizer: this.options.optimizer ?? DEFAULT_OPTIMIZER,
      evalEvery: this.options.evalEvery,
      batchSize: this.options.batchSize ?? null,
      seed: this.options.seed,
      shapes,
    };
  }

  /** Refuses a checkpoint written by another run (an edited manifest, another model size) with the differences named. */
  #checkIdentity(data: CheckpointData, file: string): void {
    const mine = this.#identity();
    const theirs = data.state['run'] as RunIdentity | undefined;
    const differences: string[] = [];
    if (theirs) differences.push(...diffConfigs(theirs, mine).filter((d) => !d.startsWith('shapes')));
    for (const [name, shape] of Object.entries(mine.shapes)) {
      const t = data.tensors.get(`param/${name}`);
      if (!t) differences.push(`parameter ${name}: missing from the checkpoint`);
      else if (t.shape.join('×') !== shape.join('×')) differences.push(`parameter ${name}: shape ${t.shape.join('×')} → ${shape.join('×')}`);
    }
    const opt = (data.state['optimizer'] as { name?: string } | undefined)?.name;
    if (opt !== undefined && opt !== this.#optimizer.name) differences.push(`optimizer: ${opt} → ${this.#optimizer.name}`);
    if (differences.length === 0) return;
    // The trainer's own settings come from the config when there is one: name each change once, as the config spells it.
    const listed = [...new Set(differences)].filter((d) => !differences.includes(`config.${d}`));
    throw new GrokscopeError(
      'E_CHECKPOINT_MISMATCH',
      `${file} was written by a run with another configuration (${listed.slice(0, 5).join('; ')}${listed.length > 5 ? '; …' : ''}). ` +
        'Was manifest.json edited, or the config changed? Resume with the configuration the run was started with, or start a new run in another directory',
    );
  }

  /** Every plugin that restores state must find its own in the checkpoint. */
  #checkPluginStates(states: PluginStates, step: number): void {
    for (const tap of this.hooks.restore.taps) {
      if (!states.has(tap.name)) {
        throw new GrokscopeError(
          'E_CHECKPOINT_MISMATCH',
          `the checkpoint at step ${step} has no state for plugin "${tap.name}" (it was written by a run without that plugin); resume with the plugins the run was started with`,
        );
      }
    }
  }

  #manifest(): Manifest {
    return {
      config: this.options.config ?? null,
      seed: this.options.seed,
      backend: this.options.backend ?? tf.getBackend(),
      // Results do not depend on it (docs/throughput.md); recorded so a timing can be read.
      threads: backendThreads(),
      versions: { '@grokscope/core': CORE_VERSION, '@tensorflow/tfjs-core': tf.version_core, node: process.version, ...this.options.versions },
      createdAt: new Date().toISOString(),
    };
  }

  #hasRecordAt(step: number): boolean {
    if (!this.store) return false;
    return this.store.readMetrics().records.some((r) => r.step === step);
  }

  // ---- one optimiser step --------------------------------------------------------------------

  #prepareTrainData(): void {
    const ex = this.task.examples;
    const idx = this.split.train;
    this.#train = tf.tidy(() => {
      const labels = tf.tensor1d(idx.map((i) => ex.label[i]!), 'int32');
      return {
        a: tf.tensor1d(idx.map((i) => ex.a[i]!), 'int32'),
        b: tf.tensor1d(idx.map((i) => ex.b[i]!), 'int32'),
        labels,
        mask: tf.cast(tf.oneHot(labels, this.task.numClasses), 'float32') as tf.Tensor2D,
      };
    });
  }

  #disposeTrainData(): void {
    if (this.#train) tf.dispose([this.#train.a, this.#train.b, this.#train.labels, this.#train.mask]);
    this.#train = undefined;
  }

  #trainStep(step: number): void {
    const info = { step };
    this.hooks.beforeStep.call(info);
    const params = this.model.params;
    const loss = tf.tidy(() => {
      const { batch, labels, mask } = this.#batch();
      const vars = [...params.values()];
      const { value, grads } = tf.variableGrads(() => {
        const request = this.hooks.forward.call({ taps: new Set(), transforms: new Map() } satisfies ForwardRequest, info);
        const forward = this.model.forward(batch, request);
        const terms: LossTerms = this.hooks.loss.call(
          { crossEntropy: crossEntropy(forward.logits, labels, mask) },
          { step, batch, labels, forward },
        );
        return tf.addN(Object.values(terms)) as tf.Scalar;
      }, vars);
      let named: NamedGradients = new Map();
      for (const [name, v] of params) if (grads[v.name]) named.set(name, grads[v.name]!);
      named = this.hooks.gradients.call(named, info);
      this.#optimizer.apply(params, named);
      // One readback per step: the loss, poisoned to NaN if any parameter is not finite.
      const paramCheck = tf.mul(tf.addN(vars.map((v) => tf.sum(v))), 0);
      return tf.add(value, paramCheck);
    });
    const lossValue = loss.dataSync()[0]!;
    loss.dispose();
    if (!Number.isFinite(lossValue)) throw new NonFiniteError(step, 'the training loss or a parameter');
    this.hooks.afterStep.call(info);
    this.events.emit('step', { step, totalSteps: this.options.steps, loss: lossValue });
  }

  #batch(): { batch: Batch; labels: tf.Tensor1D; mask: tf.Tensor2D } {
    const train = this.#train!;
    const size = this.options.batchSize;
    if (size == null || size >= this.split.train.length) return { batch: { a: train.a, b: train.b }, labels: train.labels, mask: train.mask };
    const n = this.split.train.length;
    const pick = new Int32Array(size);
    for (let i = 0; i < size; i++) pick[i] = this.#batchRng.int(n);
    const idx = tf.tensor1d(pick, 'int32');
    return {
      batch: { a: tf.gather(train.a, idx) as tf.Tensor1D, b: tf.gather(train.b, idx) as tf.Tensor1D },
      labels: tf.gather(train.labels, idx) as tf.Tensor1D,
      mask: tf.gather(train.mask, idx) as tf.Tensor2D,
    };
  }

  // ---- evaluation, checkpoints, the end ------------------------------------------------------

  async #evaluate(step: number, wallMs: number): Promise<string | undefined> {
    const evaluation = new SharedEvaluation(step, this.task, this.split, this.model);
    try {
      await this.hooks.evaluate.promise(evaluation);
      const record: MetricsRecord = { step, wallMs: Math.round(wallMs), metrics: { ...evaluation.metrics } };
      for (const [tag, v] of Object.entries(record.metrics)) {
        if (typeof v !== 'number') throw new GrokscopeError('E_METRIC', `metric "${tag}" at step ${step} is not a number (got ${typeof v}); probes must write numbers`);
      }
      this.store?.appendMetric(record);
      this.#noteEvents(record);
      this.events.emit('evaluation', record);
      return this.hooks.shouldStop.call(evaluation) ?? undefined;
    } finally {
      evaluation.dispose();
    }
  }

  #noteEvents(r: MetricsRecord): void {
    const th = this.options.thresholds ?? {};
    const train = r.metrics[METRIC_TAGS.accuracyTrain];
    const test = r.metrics[METRIC_TAGS.accuracyTest];
    if (this.#events.memorised === null && train !== undefined && train >= (th.memorised ?? DEFAULT_THRESHOLDS.memorised)) this.#events.memorised = r.step;
    if (this.#events.grokked === null && test !== undefined && test >= (th.grokked ?? DEFAULT_THRESHOLDS.grokked)) this.#events.grokked = r.step;
  }

  async #checkpoint(): Promise<void> {
    if (!this.store) return;
    const plugins: PluginStates = new Map();
    await this.hooks.checkpoint.promise(plugins as never, { step: this.#step });
    const tensors = new Map<string, StoredTensor>();
    for (const [name, v] of this.model.params) tensors.set(`param/${name}`, { shape: v.shape, values: v.dataSync() as Float32Array });
    for (const [name, t] of this.#optimizer.slots()) tensors.set(`optim/${name}`, { shape: t.shape, values: t.dataSync() as Float32Array });
    const path = this.store.writeCheckpoint({
      step: this.#step,
      wallMs: this.#wallMs,
      state: {
        run: this.#identity(),
        optimizer: { name: this.#optimizer.name, iterations: this.#optimizer.iterations },
        batchRng: this.#batchRng.state(),
        plugins: Object.fromEntries(plugins),
      },
      tensors,
    });
    this.#lastCheckpoint = this.#step;
    this.events.emit('checkpoint', { step: this.#step, path });
  }

  /** Restores the run's own state; returns the plugins' states for the `restore` hook. */
  #loadCheckpoint(data: { step: number; wallMs: number; state: Record<string, unknown>; tensors: Map<string, StoredTensor> }): PluginStates {
    for (const [name, v] of this.model.params) {
      const t = data.tensors.get(`param/${name}`);
      if (!t) throw new GrokscopeError('E_CHECKPOINT', `checkpoint has no parameter "${name}": it was written by a different model; resume with the run's own config`);
      v.assign(tf.tensor(t.values, t.shape, 'float32'));
    }
    const slots = new Map<string, StoredTensor>();
    for (const [k, t] of data.tensors) if (k.startsWith('optim/')) slots.set(k.slice(6), t);
    const opt = data.state['optimizer'] as { iterations: number };
    this.#optimizer.load(opt.iterations, slots);
    this.#batchRng = new Rng(data.state['batchRng'] as RngState);
    this.#step = data.step;
    this.#wallMs = data.wallMs;
    this.#lastCheckpoint = data.step;
    return new Map(Object.entries((data.state['plugins'] ?? {}) as Record<string, unknown>));
  }

  async #finish(end: RunEnd): Promise<void> {
    // A run that failed before its directory was opened (setup, a refused resume) leaves it as it was.
    if (this.store && this.#opened && end.status !== 'interrupted') {
      try {
        this.store.writeSummary({ status: end.status, steps: end.step, reason: end.reason, events: end.events, wallMs: Math.round(this.#wallMs) });
      } catch (err) {
        // A full disk fails the summary too: say so, and keep the error that ended the run.
        if (!end.error) throw err;
        this.events.emit('log', { level: 'warn', message: `summary.json not written: ${(err as Error).message}` });
      }
    }
    await this.hooks.done.promise(end);
    this.events.emit('done', end);
  }

  #end(status: RunStatus, reason?: string, error?: Error): RunEnd {
    return { status, step: this.#step, reason, error, events: { ...this.#events } };
  }
}

/** What a checkpoint records of the run that wrote it (`state.run`), checked on resume. */
interface RunIdentity {
  readonly config: unknown;
  readonly optimizer: OptimizerConfig;
  readonly evalEvery: number;
  readonly batchSize: number | null;
  readonly seed: number;
  readonly shapes: Record<string, number[]>;
}

/** The config without `train.steps`: a longer cap continues the same run. */
function withoutStepCap(config: unknown): unknown {
  if (typeof config !== 'object' || config === null) return config;
  const c = config as Record<string, unknown>;
  const train = c['train'];
  if (typeof train !== 'object' || train === null) return config;
  const { steps: _steps, ...rest } = train as Record<string, unknown>;
  return { ...c, train: rest };
}

/** Filled from package.json at build time would couple core to its layout; read it once here. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CORE_VERSION: string = (require('../../package.json') as { version: string }).version;

function validate(o: TrainerOptions): void {
  const posInt = (field: string, v: unknown) => {
    if (!(typeof v === 'number' && Number.isInteger(v) && v > 0)) throw new ConfigError(field, `must be a positive integer, got ${JSON.stringify(v)}`);
  };
  posInt('steps', o.steps);
  posInt('evalEvery', o.evalEvery);
  if (o.checkpointEvery !== undefined) posInt('checkpointEvery', o.checkpointEvery);
  if (o.batchSize != null) posInt('batchSize', o.batchSize);
  if (!Number.isInteger(o.seed)) throw new ConfigError('seed', `must be an integer, got ${JSON.stringify(o.seed)}`);
  if (o.split.train.length === 0) throw new ConfigError('task.trainFraction', 'the training split is empty; raise trainFraction');
}
