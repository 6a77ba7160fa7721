import '../backend/registerGradients';
import * as tf from '@tensorflow/tfjs-core';
import { EventEmitter } from 'eventemitter3';
import { GROKSCOPE_TRAINER, RUN_FORMAT } from '@grokscope/base';
import { ConfigError, GrokscopeError, NonFiniteError } from '../errors';
import { DEFAULT_OPTIMIZER, isFinished } from '../facts';
import { crossEntropy } from '../loss/crossEntropy';
import { createOptimizer } from '../optim/createOptimizer';
import type { NamedGradients, Optimizer, OptimizerConfig } from '../optim/optimizer';
import type {
  Batch,
  EventView,
  ForwardRequest,
  LossTerms,
  MetricsRecord,
  Model,
  Plugin,
  PluginHost,
  PluginState,
  RunEventName,
  RunInfo,
  Split,
  StepPlan,
  Task,
  TrainerHooks,
} from '../plugin';
import { Rng } from '@grokscope/base';
import type { StoredTensor } from '../store/checkpointFile';
import { type RunCheckpoint, runCheckpointCodec, type RunIdentity } from '../store/runCheckpoint';
import { disarmHeartbeat, heartbeat } from '../backend/heartbeat';
import type { WriteGuard } from '../store/runStore';
import type { Manifest, TrainerStore } from '../store/trainerStore';
import { checkStepPlans } from './checkStepPlans';
import { checkForwardRequests } from './checkTaps';
import { SharedEvaluation } from './evaluation';
import type { RunEnd, RunStatus, TrainerEvents } from '../plugin';
import { createHooks } from './hooks';
import { interceptTaps, pluginError, recordTiming, type TapTimings } from './interceptTaps';
import { ShardedGradients } from '../parallel/shardedGradients';
import type { ShardPool } from '../parallel/shardPool';

/**
 * A run as its caller describes it. Core reads neither field: it records `config` in
 * manifest.json for readers, and `identity` in every checkpoint, refusing on resume a checkpoint
 * whose identity differs. The caller decides what identity covers: the CLI gives its config
 * less the step cap, so a run resumed with a longer cap is the same run.
 */
export interface RunDescription {
  /** The config as the caller's readers see it (manifest.json's `config`): a JSON object. */
  readonly config: Readonly<Record<string, unknown>>;
  /** What must not change for a checkpoint to continue this run: any JSON value. */
  readonly identity: unknown;
}

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
  /** A built-in's config (`OPTIMIZERS`; default `DEFAULT_OPTIMIZER`) or an Optimizer of your own (docs/plugins.md § Tasks, models and optimisers of your own). */
  readonly optimizer?: OptimizerConfig | Optimizer;
  /** Examples per step; omitted or null: full batch (the study's setting). */
  readonly batchSize?: number | null;
  /**
   * Parts each step's batch is cut into, each one's gradient computed on its own and the parts
   * summed in order (default 1: the whole batch in one pass). It belongs to the run, like the
   * batch size: the same shards give bitwise the same run on any number of workers
   * (docs/throughput.md § Every core on one run).
   */
  readonly shards?: number;
  /** Threads that compute shards beside the trainer's own; omitted: the trainer's thread computes every shard. */
  readonly shardPool?: ShardPool;
  readonly seed: number;
  /** Run directory (the Node entry's `Trainer` opens a `RunStore` on it); omitted: nothing is written. */
  readonly runDir?: string;
  /** Where the run is kept, instead of `runDir`: a `MemoryRunStore` in the browser, or a store of your own. */
  readonly store?: TrainerStore;
  /** Continue the run in `runDir` from its last checkpoint instead of refusing to overwrite it. */
  readonly resume?: boolean;
  readonly plugins?: readonly Plugin[];
  /** The lock the caller holds on `runDir`: checked before every write (see `WriteGuard`). */
  readonly writeGuard?: WriteGuard;
  /** What the caller says the run is (opaque to core): omitted, an empty config and a null identity. */
  readonly run?: RunDescription;
  /** Backend name for the manifest (the caller selected it with `useBackend`). */
  readonly backend?: string;
  /** Package versions for the manifest, beyond core's and TensorFlow.js's. */
  readonly versions?: Readonly<Record<string, string>>;
}

/** Yield to the event loop at least this often, so signals and progress output stay live. */
const YIELD_MS = 50;

/**
 * Trains a model on a task. Extension points are `hooks` (may change the run); observers use
 * `events`. A run is resumable bit-for-bit: parameters, optimiser moments, RNG states, step,
 * wall time and every plugin's state go into each checkpoint.
 */
// Its `events` is the emitter itself (the CLI and tests emit nothing, but the type is wider than `EventView`); plugins get `hostView`.
export class Trainer implements Omit<PluginHost, 'events'> {
  readonly hooks: TrainerHooks = createHooks();
  readonly events = new EventEmitter<TrainerEvents>();
  readonly task: Task;
  readonly split: Split;
  readonly model: Model;
  readonly options: TrainerOptions;
  readonly store: TrainerStore | undefined;
  /** Milliseconds and calls per `hook:plugin` tap. */
  readonly timings: TapTimings = new Map();
  #optimizer: Optimizer;
  #step = 0;
  #wallMs = 0;
  #batchRng: Rng;
  #stopRequest: { status: RunStatus; reason: string } | undefined;
  #events = { memorised: null as number | null, grokked: null as number | null };
  /** The rule of each run event, as a plugin defined it (`defineEvent`): core reads no metric itself. */
  #eventRules = new Map<RunEventName, (record: MetricsRecord) => boolean>();
  /** What plugins are given: this trainer as a `PluginHost` and nothing more. */
  readonly #host: PluginHost;
  /** Step of the newest checkpoint on disk for this run (null: none yet), for what a failure message promises. */
  #lastCheckpoint: number | null = null;
  /** Set once the run directory is opened: failures before that leave it exactly as it was. */
  #opened = false;
  /** The plugins that keep checkpointed state (`saveState`/`loadState`), their names unique. */
  readonly #stateful: readonly Plugin[];
  #train: { a: tf.Tensor1D; b: tf.Tensor1D; labels: tf.Tensor1D; mask: tf.Tensor2D } | undefined;
  /** A sharded run's step (shards > 1), started with the run. */
  #sharded: ShardedGradients | undefined;
  /** Set while paused: the loop waits on it between steps (`pause`, `resume`). */
  #pauseGate: { promise: Promise<void>; open: () => void; held: Promise<void>; hold: () => void } | undefined;

  constructor(options: TrainerOptions) {
    validate(options);
    this.options = options;
    this.task = options.task;
    this.split = options.split;
    this.model = options.model;
    this.store = this.openStore(options);
    this.#optimizer = isOptimizer(options.optimizer)
      ? options.optimizer
      : createOptimizer(options.optimizer ?? DEFAULT_OPTIMIZER);
    this.#batchRng = Rng.derive(options.seed, 'batch');
    // Before interceptTaps: an unknown tap in a forward request then fails as the plugin's error.
    checkForwardRequests(this.hooks.forward, this.model);
    checkStepPlans(
      this.hooks.beforeStep,
      () => this.split.train.length,
      () => this.#optimizer.learningRate !== undefined,
    );
    interceptTaps(this.hooks, this.timings);
    this.#stateful = statefulPlugins(options.plugins ?? []);
    this.#host = hostView(this);
    for (const p of options.plugins ?? []) p.apply(this.#host);
    checkShardable(this.hooks, options.shards ?? 1);
  }

  get seed(): number {
    return this.options.seed;
  }

  /** The run's settings, as plugins see them. */
  get runInfo(): RunInfo {
    return {
      steps: this.options.steps,
      evalEvery: this.options.evalEvery,
      batchSize: this.options.batchSize ?? null,
      dir: this.store?.dir,
    };
  }

  log(level: 'info' | 'warn', message: string): void {
    this.events.emit('log', { level, message });
  }

  defineEvent(name: RunEventName, reached: (record: MetricsRecord) => boolean): void {
    if (name !== 'memorised' && name !== 'grokked')
      throw new ConfigError(
        'defineEvent',
        `unknown run event "${String(name)}"; summary.json reports memorised and grokked`,
      );
    if (this.#eventRules.has(name))
      throw new GrokscopeError(
        'E_PLUGIN',
        `two plugins define the run event "${name}"; keep one (the CLI adds run-events from the config's thresholds)`,
      );
    this.#eventRules.set(name, reached);
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
    this.#pauseGate?.open(); // a paused run ends too
  }

  /**
   * Holds the run between two steps until `resume()`: the same run continues, bit for bit, since
   * nothing is saved or restored. Paused time does not count in the run's wall time. Resolves
   * once the loop is held (the step in progress, its evaluation and checkpoint done) or the run
   * has ended, so a caller can report the step it holds at.
   */
  pause(): Promise<void> {
    if (!this.#pauseGate) {
      let open = () => {};
      let hold = () => {};
      const promise = new Promise<void>((r) => (open = r));
      const held = new Promise<void>((r) => (hold = r));
      this.#pauseGate = { promise, open, held, hold };
    }
    return this.#pauseGate.held;
  }

  /** Lets a paused run go on. */
  resume(): void {
    const gate = this.#pauseGate;
    this.#pauseGate = undefined;
    gate?.hold(); // a pause that never took hold is over too
    gate?.open();
  }

  /** Whether the run is held by `pause()`. */
  get paused(): boolean {
    return this.#pauseGate !== undefined;
  }

  /**
   * The store for `options`: the one given, or none. The Node entry's `Trainer` opens a
   * `RunStore` on `runDir` here; this entry has no file system, so it refuses a `runDir`.
   */
  protected openStore(options: TrainerOptions): TrainerStore | undefined {
    if (options.store) return options.store;
    if (options.runDir !== undefined)
      throw new ConfigError(
        'runDir',
        "this entry of @grokscope/core writes no files; give a store (MemoryRunStore) or use the Node entry's Trainer",
      );
    return undefined;
  }

  /** What the manifest records of where the run runs: the backend's threads and the runtime's version. */
  protected runtime(): { threads: number; versions: Record<string, string> } {
    return { threads: 1, versions: {} };
  }

  /** Runs to the step cap, a stop reason, an interrupt or an error. Resolves with how it ended. */
  async run(): Promise<RunEnd> {
    const t0 = performance.now();
    let wallBase = 0;
    let end: RunEnd;
    try {
      await this.hooks.setup.promise(this.#host);
      const previous = await this.#open();
      this.#opened = true;
      if (previous) return previous;
      wallBase = this.#wallMs;
      this.#prepareTrainData();
      if ((this.options.shards ?? 1) > 1) {
        const shards = this.options.shards!;
        this.#sharded = await ShardedGradients.start(
          this.model,
          this.#train!,
          this.task.numClasses,
          shards,
          this.options.shardPool,
        );
      }
      const wall = () => wallBase + (performance.now() - t0);
      if (this.#step === 0 && !this.#hasRecordAt(0)) await this.#evaluate(0, wall());
      let lastYield = performance.now();
      let stopReason: string | undefined;
      // Beats for the threaded backend's watchdog: each step, evaluation and checkpoint is progress.
      heartbeat(this.#step);
      while (this.#step < this.options.steps && !this.#stopRequest && stopReason === undefined) {
        const step = this.#step + 1;
        await this.#trainStep(step);
        this.#step = step;
        heartbeat(step);
        const isLast = step === this.options.steps;
        if (step % this.options.evalEvery === 0 || isLast) {
          stopReason = await this.#evaluate(step, wall());
          heartbeat(step);
        }
        if (
          step % (this.options.checkpointEvery ?? this.options.evalEvery) === 0 ||
          isLast ||
          stopReason !== undefined
        ) {
          this.#wallMs = wall();
          await this.#checkpoint();
          heartbeat(step);
        }
        if (performance.now() - lastYield > YIELD_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        // Held only between two steps: a run at its cap or its stop reason ends rather than waits.
        const more = this.#step < this.options.steps && stopReason === undefined;
        if (this.#pauseGate && !this.#stopRequest && more) {
          const paused = performance.now();
          disarmHeartbeat(); // a paused run is not a stalled one
          while (this.#pauseGate && !this.#stopRequest) {
            this.#pauseGate.hold();
            await this.#pauseGate.promise;
          }
          wallBase -= performance.now() - paused;
          heartbeat(step);
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
      if (error instanceof NonFiniteError && error.lastCheckpoint === undefined)
        error = new NonFiniteError(error.step, error.what, this.#lastCheckpoint);
      this.#wallMs = wallBase + (performance.now() - t0);
      end = this.#end('failed', error.message, error);
      this.events.emit('error', error);
    } finally {
      disarmHeartbeat();
      this.#pauseGate?.hold(); // a pause asked for as the run ended: nothing is left to hold
      this.#disposeTrainData();
      // Helpers end with the run, however it ended: none outlives it or holds the process open.
      await this.#sharded?.close();
      this.#sharded = undefined;
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
  /** Temp files of writes a killed process never finished (we hold the run's lock, so none is live). */
  #removeStaleTempFiles(store: TrainerStore): void {
    const removed = store.removeStaleTempFiles();
    if (removed.length === 0) return;
    this.events.emit('log', {
      level: 'warn',
      message: `removed ${removed.length} unfinished write(s) left by a killed process: ${removed.join(', ')}`,
    });
  }

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
      // A kill during the very first manifest write leaves only its temp file: ours to remove now.
      this.#removeStaleTempFiles(store);
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
    this.#removeStaleTempFiles(store);
    const { records, truncatedTail } = store.readMetrics();
    if (truncatedTail)
      warn(`${store.metricsPath}: the last line was cut short by a crash; it is dropped and recomputed`);
    const ckpt = this.#resumePoint(store, records, warn);
    const summary = store.readSummary();
    const step = ckpt?.step ?? 0;
    // A finished run stays finished: a completed run up to its cap, and a run a shouldStop hook
    // ended (resuming it would train past the step where it chose to stop).
    const finished = summary && summary.steps === step && isFinished(summary, this.options.steps);
    if (!finished && step > this.options.steps) {
      throw new ConfigError(
        'train.steps',
        `${store.dir} is already at step ${step} (its newest usable checkpoint), past the step cap ${this.options.steps}; give a cap of at least ${step}`,
      );
    }
    // From here on the directory changes: later records and checkpoints go, the state is restored.
    store.removeCheckpointsAfter(step);
    const kept = store.truncateMetricsAfter(ckpt ? step : -1);
    for (const r of kept) this.#noteEvents(r);
    if (ckpt) {
      // Every plugin's state is there before anything is restored: a refusal leaves the run as it was.
      this.#checkPluginStates(ckpt);
      this.#loadCheckpoint(ckpt);
      this.#restorePlugins(ckpt);
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
  #resumePoint(
    store: TrainerStore,
    records: readonly MetricsRecord[],
    warn: (m: string) => void,
  ): RunCheckpoint | null {
    const logged = new Set(records.map((r) => r.step));
    const candidates = store.checkpoints();
    const problems: string[] = [];
    for (const { step, path: file } of candidates) {
      let data: RunCheckpoint;
      try {
        data = runCheckpointCodec.decode(store.loadCheckpoint(file), file);
      } catch (err) {
        warn(`skipping corrupted checkpoint ${(err as Error).message}`);
        problems.push(file);
        continue;
      }
      runCheckpointCodec.check(data, this.#identity(), this.#optimizer.name, file);
      const missing: number[] = [];
      for (let s = 0; s <= step; s += this.options.evalEvery) if (!logged.has(s)) missing.push(s);
      if (missing.length === 0) {
        if (problems.length > 0) warn(`resuming from the older checkpoint at step ${step}`);
        return data;
      }
      const shown =
        missing.length > 5 ? `${missing.slice(0, 5).join(', ')}, … (${missing.length} in all)` : missing.join(', ');
      warn(
        `${store.metricsPath} lacks the evaluation(s) at step ${shown} before the checkpoint at step ${step}; not resuming from it`,
      );
      problems.push(file);
    }
    if (candidates.length > 0)
      warn(`no checkpoint is covered by ${store.metricsPath}: training again from step 0 (the result is the same run)`);
    return null;
  }

  /** What a checkpoint must match to continue this run: the caller's identity, optimiser, cadence, seed, shapes. */
  #identity(): RunIdentity {
    const config = this.options.run?.identity ?? null;
    const shapes: Record<string, number[]> = {};
    for (const [name, v] of this.model.params) shapes[name] = [...v.shape];
    const shards = this.options.shards ?? 1;
    return {
      config,
      // Only when sharded, so that a checkpoint written before shards existed is still this run's.
      ...(shards !== 1 ? { shards } : {}),
      // An optimiser instance is known by its name (its settings are in the config, when there is one).
      optimizer: isOptimizer(this.options.optimizer)
        ? { name: this.options.optimizer.name }
        : (this.options.optimizer ?? DEFAULT_OPTIMIZER),
      evalEvery: this.options.evalEvery,
      batchSize: this.options.batchSize ?? null,
      seed: this.options.seed,
      shapes,
    };
  }

  /** Every plugin that restores state must find its own in the checkpoint. */
  #checkPluginStates(ckpt: RunCheckpoint): void {
    for (const p of this.#stateful) {
      if (p.loadState && !Object.hasOwn(ckpt.plugins, p.name)) {
        const what = `the checkpoint at step ${ckpt.step} has no state for plugin "${p.name}"`;
        const why = 'it was written by a run without that plugin';
        const fix = 'resume with the plugins the run was started with';
        throw new GrokscopeError('E_CHECKPOINT_MISMATCH', `${what} (${why}); ${fix}`);
      }
    }
  }

  /** Hands each plugin the state it saved (`loadState`), in the order the plugins were given. */
  #restorePlugins(ckpt: RunCheckpoint): void {
    for (const p of this.#stateful) {
      if (!p.loadState) continue;
      const t0 = performance.now();
      try {
        p.loadState(ckpt.plugins[p.name]);
      } catch (err) {
        throw pluginError(p.name, 'loadState', err);
      } finally {
        recordTiming(this.timings, `loadState:${p.name}`, t0);
      }
    }
  }

  /** Each plugin's state for the checkpoint being written, by plugin name (`saveState`). */
  #savePlugins(): Record<string, PluginState> {
    const states: Record<string, PluginState> = {};
    for (const p of this.#stateful) {
      if (!p.saveState) continue;
      const t0 = performance.now();
      try {
        states[p.name] = p.saveState();
      } catch (err) {
        throw pluginError(p.name, 'saveState', err);
      } finally {
        recordTiming(this.timings, `saveState:${p.name}`, t0);
      }
    }
    return states;
  }

  #manifest(): Manifest {
    const runtime = this.runtime();
    return {
      format: RUN_FORMAT,
      trainer: { name: GROKSCOPE_TRAINER, version: CORE_VERSION },
      config: { ...this.options.run?.config },
      seed: this.options.seed,
      backend: this.options.backend ?? tf.getBackend(),
      // Results do not depend on it (docs/throughput.md); recorded so a timing can be read.
      threads: runtime.threads,
      // Threads computing a sharded step's shards: timing only, like threads (the shard count is the run's).
      ...((this.options.shards ?? 1) > 1
        ? { workers: Math.min(this.options.shards!, 1 + (this.options.shardPool?.helpers ?? 0)) }
        : {}),
      versions: {
        '@grokscope/core': CORE_VERSION,
        '@tensorflow/tfjs-core': tf.version_core,
        ...runtime.versions,
        ...this.options.versions,
      },
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
      const labels = tf.tensor1d(
        idx.map((i) => ex.label[i]!),
        'int32',
      );
      return {
        a: tf.tensor1d(
          idx.map((i) => ex.a[i]!),
          'int32',
        ),
        b: tf.tensor1d(
          idx.map((i) => ex.b[i]!),
          'int32',
        ),
        labels,
        mask: tf.cast(tf.oneHot(labels, this.task.numClasses), 'float32') as tf.Tensor2D,
      };
    });
  }

  #disposeTrainData(): void {
    if (this.#train) tf.dispose([this.#train.a, this.#train.b, this.#train.labels, this.#train.mask]);
    this.#train = undefined;
  }

  async #trainStep(step: number): Promise<void> {
    const info = { step };
    const indices = this.#plan(step);
    const loss = this.#sharded ? await this.#shardedUpdate(step, indices) : this.#update(step, indices);
    const lossValue = loss.dataSync()[0]!;
    loss.dispose();
    if (!Number.isFinite(lossValue)) throw new NonFiniteError(step, 'the training loss or a parameter');
    this.hooks.afterStep.call(info);
    this.events.emit('step', { step, totalSteps: this.options.steps, loss: lossValue });
  }

  /** One update from the whole batch in one pass: the loss (poisoned to NaN if a parameter is not finite). */
  #update(step: number, indices: Int32Array | null): tf.Scalar {
    const info = { step };
    const params = this.model.params;
    return tf.tidy(() => {
      const { batch, labels, mask } = this.#batch(indices);
      const vars = [...params.values()];
      const { value, grads } = tf.variableGrads(() => {
        const request = this.hooks.forward.call(
          { taps: new Set(), transforms: new Map() } satisfies ForwardRequest,
          info,
        );
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
  }

  /** One update from the batch's shards, summed in shard order (parallel/shardedGradients.ts). */
  async #shardedUpdate(step: number, indices: Int32Array | null): Promise<tf.Scalar> {
    const shards = this.options.shards!;
    if (indices !== null && indices.length < shards)
      throw new ConfigError(
        'train.shards',
        `step ${step}'s batch has ${indices.length} examples, fewer than the ${shards} shards it is cut into; lower train.shards`,
      );
    const info = { step };
    const params = this.model.params;
    const { loss, grads } = await this.#sharded!.compute(step, indices);
    try {
      return tf.tidy(() => {
        const named = this.hooks.gradients.call(grads, info);
        this.#optimizer.apply(params, named);
        const paramCheck = tf.mul(tf.addN([...params.values()].map((v) => tf.sum(v))), 0);
        return tf.add(tf.scalar(loss), paramCheck) as tf.Scalar;
      });
    } finally {
      tf.dispose([...grads.values()]);
    }
  }

  /**
   * The step's plan: the seeded minibatch draw (the RNG advances the same whatever plugins do),
   * then `beforeStep` taps, which may change the learning rate and the batch. Returns the batch
   * (positions in the training split; null: all of it).
   */
  #plan(step: number): Int32Array | null {
    const size = this.options.batchSize;
    const n = this.split.train.length;
    let drawn: Int32Array | null = null;
    if (size != null && size < n) {
      drawn = new Int32Array(size);
      for (let i = 0; i < size; i++) drawn[i] = this.#batchRng.int(n);
    }
    const lr = this.#optimizer.learningRate;
    const plan: StepPlan = { step, learningRate: lr ?? NaN, batch: drawn };
    // Each tap's changes were checked as it returned (checkStepPlans), naming the plugin.
    this.hooks.beforeStep.call(plan);
    if (lr !== undefined && plan.learningRate !== lr) this.#optimizer.learningRate = plan.learningRate;
    return plan.batch;
  }

  #batch(pick: Int32Array | null): { batch: Batch; labels: tf.Tensor1D; mask: tf.Tensor2D } {
    const train = this.#train!;
    if (pick === null) return { batch: { a: train.a, b: train.b }, labels: train.labels, mask: train.mask };
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
        if (typeof v !== 'number')
          throw new GrokscopeError(
            'E_METRIC',
            `metric "${tag}" at step ${step} is not a number (got ${typeof v}); probes must write numbers`,
          );
      }
      this.store?.appendMetric(record);
      this.#noteEvents(record);
      this.events.emit('evaluation', record);
      return this.hooks.shouldStop.call(evaluation) ?? undefined;
    } finally {
      evaluation.dispose();
    }
  }

  /** Applies each run event's rule (`defineEvent`) to a record: the first record that meets it sets the event's step. */
  #noteEvents(r: MetricsRecord): void {
    for (const [name, reached] of this.#eventRules)
      if (this.#events[name] === null && reached(r)) this.#events[name] = r.step;
  }

  async #checkpoint(): Promise<void> {
    if (!this.store) return;
    const plugins = this.#savePlugins();
    const stored = (t: tf.Tensor): StoredTensor => ({ shape: t.shape, values: t.dataSync() as Float32Array });
    const path = this.store.writeCheckpoint(
      runCheckpointCodec.encode({
        step: this.#step,
        wallMs: this.#wallMs,
        identity: this.#identity(),
        optimizer: {
          name: this.#optimizer.name,
          iterations: this.#optimizer.iterations,
          ...(this.#optimizer.learningRate !== undefined ? { learningRate: this.#optimizer.learningRate } : {}),
        },
        batchRng: this.#batchRng.state(),
        plugins,
        params: new Map([...this.model.params].map(([name, v]) => [name, stored(v)])),
        slots: new Map([...this.#optimizer.slots()].map(([name, t]) => [name, stored(t)])),
      }),
    );
    this.#lastCheckpoint = this.#step;
    this.events.emit('checkpoint', { step: this.#step, path });
  }

  /** Restores the run's own state (the checkpoint was checked against this run); `#restorePlugins` the plugins'. */
  #loadCheckpoint(data: RunCheckpoint): void {
    for (const [name, v] of this.model.params) {
      const t = data.params.get(name)!;
      v.assign(tf.tensor(t.values, t.shape, 'float32'));
    }
    this.#optimizer.load(data.optimizer.iterations, new Map(data.slots));
    if (data.optimizer.learningRate !== undefined && this.#optimizer.learningRate !== undefined)
      this.#optimizer.learningRate = data.optimizer.learningRate;
    this.#batchRng = new Rng(data.batchRng);
    this.#step = data.step;
    this.#wallMs = data.wallMs;
    this.#lastCheckpoint = data.step;
  }

  async #finish(end: RunEnd): Promise<void> {
    // A run that failed before its directory was opened (setup, a refused resume) leaves it as it was.
    if (this.store && this.#opened && end.status !== 'interrupted') {
      try {
        this.store.writeSummary({
          status: end.status,
          steps: end.step,
          reason: end.reason,
          events: end.events,
          wallMs: Math.round(this.#wallMs),
        });
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

/** The trainer as plugins see it: only what `PluginHost` lists, so a plugin cannot reach `run()`, the store or the emitter's `emit`. */
function hostView(t: Trainer): PluginHost {
  // Listening only, and chaining returns the view, not the emitter: `emit` stays the trainer's.
  const events: EventView = {
    on: (e, l) => (t.events.on(e, l), events),
    once: (e, l) => (t.events.once(e, l), events),
    off: (e, l) => (t.events.off(e, l), events),
  };
  return Object.freeze({
    hooks: t.hooks,
    events,
    log: (level: 'info' | 'warn', message: string) => t.log(level, message),
    defineEvent: (name: RunEventName, reached: (record: MetricsRecord) => boolean) => t.defineEvent(name, reached),
    model: t.model,
    task: t.task,
    split: t.split,
    seed: t.seed,
    runInfo: t.runInfo,
    get step() {
      return t.step;
    },
  });
}

/**
 * The plugins that keep state, checked before any runs: two of one name would write their states
 * under one key of the checkpoint, and a resumed run would hand one of them the other's.
 */
function statefulPlugins(plugins: readonly Plugin[]): readonly Plugin[] {
  const stateful = plugins.filter((p) => p.saveState !== undefined || p.loadState !== undefined);
  const seen = new Set<string>();
  for (const p of stateful) {
    if (seen.has(p.name)) {
      const message = `two plugins named "${p.name}" both keep checkpoint state; give each plugin a unique name`;
      throw new GrokscopeError('E_PLUGIN_STATE', message);
    }
    seen.add(p.name);
  }
  return stateful;
}

/**
 * A sharded step runs the model's plain forward pass on each shard: a plugin in the forward pass
 * or the loss (a regulariser such as the entropy floor, representation mixing) would see one
 * shard's examples instead of the batch, so it needs one shard (docs/throughput.md § What a
 * sharded step cannot run).
 */
function checkShardable(hooks: TrainerHooks, shards: number): void {
  if (shards === 1) return;
  const names = [...new Set([...hooks.forward.taps, ...hooks.loss.taps].map((t) => t.name))];
  if (names.length === 0) return;
  throw new ConfigError(
    'train.shards',
    `${shards} shards, but ${names.map((n) => `"${n}"`).join(', ')} ${names.length === 1 ? 'changes' : 'change'} the training ` +
      'forward pass or loss, which needs the whole batch in one pass; set train.shards to 1 for this run',
  );
}

function isOptimizer(o: OptimizerConfig | Optimizer | undefined): o is Optimizer {
  return typeof (o as Optimizer | undefined)?.apply === 'function';
}

/**
 * Lets the event loop run (signals, progress, a worker's messages): `setImmediate` where there is
 * one (Node), else a message through a `MessageChannel`, which browsers do not throttle as they
 * do `setTimeout` (4 ms at least once nested).
 */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise<void>((r) => setImmediate(r));
  return new Promise<void>((r) => {
    const channel = new MessageChannel();
    // The DOM's MessagePort (Node's typings lack `onmessage`, and Node never gets here).
    const port = channel.port1 as unknown as { onmessage: (() => void) | null; close(): void };
    port.onmessage = () => {
      port.close();
      r();
    };
    channel.port2.postMessage(null);
  });
}

/** Filled from package.json at build time would couple core to its layout; read it once here. */
const CORE_VERSION: string = (require('../../package.json') as { version: string }).version;

function validate(o: TrainerOptions): void {
  const posInt = (field: string, v: unknown) => {
    if (!(typeof v === 'number' && Number.isInteger(v) && v > 0))
      throw new ConfigError(field, `must be a positive integer, got ${JSON.stringify(v)}`);
  };
  posInt('steps', o.steps);
  posInt('evalEvery', o.evalEvery);
  if (o.checkpointEvery !== undefined) posInt('checkpointEvery', o.checkpointEvery);
  if (o.batchSize != null) posInt('batchSize', o.batchSize);
  if (o.shards !== undefined) posInt('shards', o.shards);
  const rows = Math.min(o.batchSize ?? Infinity, o.split.train.length);
  if ((o.shards ?? 1) > rows)
    throw new ConfigError(
      'shards',
      `${o.shards} shards of a batch of ${rows} examples would leave some empty; give at most ${rows}`,
    );
  if (!Number.isInteger(o.seed)) throw new ConfigError('seed', `must be an integer, got ${JSON.stringify(o.seed)}`);
  if (o.split.train.length === 0)
    throw new ConfigError('task.trainFraction', 'the training split is empty; raise trainFraction');
}
