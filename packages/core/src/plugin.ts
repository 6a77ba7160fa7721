/**
 * Every plugin-facing interface of grokscope, in one place. Core implements none of the tasks,
 * models or probes described here: packages (or a team's own code) do, against these shapes.
 */
import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type EventEmitter from 'eventemitter3';
import type { AsyncSeriesHook, SyncBailHook, SyncHook, SyncWaterfallHook } from 'tapable';
import type { NamedGradients } from './optim/optimizer';

/** All ordered pairs of a task as plain arrays: example i is `a[i] b[i] =` with label `label[i]`. */
export interface Examples {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly label: Int32Array;
}

/**
 * A finite set with a binary operation (a group for every built-in task; a team's own task need
 * not be one: docs/plugins.md § Tasks, models and optimisers of your own). Tokens 0..order-1 are the elements in the task's own
 * order; token `equalsToken` (= order) is `=`. Labels are element tokens.
 */
export interface Task {
  readonly name: string;
  /** |G|: the number of elements. */
  readonly order: number;
  readonly abelian: boolean;
  /** Human-readable label of each element token, length `order`. */
  readonly elementLabels: readonly string[];
  /** order + 1: the elements and `=`. */
  readonly vocabSize: number;
  readonly equalsToken: number;
  readonly numClasses: number;
  /** For a cyclic task over Z/pZ: the modulus and the residue each element token stands for. */
  readonly cyclic?: { readonly modulus: number; readonly residues: Int32Array };
  readonly examples: Examples;
}

/** Indices into `Task.examples`, disjoint, each sorted ascending. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export type Subset = 'train' | 'test' | 'all';

/** Token tensors of a batch (int32, same length). */
export interface Batch {
  readonly a: Tensor1D;
  readonly b: Tensor1D;
}

/** Rewrites a tap's tensor inside the forward pass (e.g. representation mixing in training). */
export type TapTransform = (tensor: Tensor2D) => Tensor2D;

export interface ForwardRequest {
  /** Tap points the caller wants returned; the model computes no tap nobody asked for. One the model does not list in `tapNames` (here or in `transforms`) is an `UnknownTapError`. */
  readonly taps: ReadonlySet<string>;
  /** Taps to rewrite before the model uses them downstream. */
  readonly transforms: ReadonlyMap<string, TapTransform>;
}

export interface ForwardResult {
  /** [n, numClasses] logits read at the last position. */
  readonly logits: Tensor2D;
  /** [n, width] tensors for the requested taps. */
  readonly taps: ReadonlyMap<string, Tensor2D>;
}

export interface Model {
  readonly name: string;
  /** Every tap point `forward` can return, e.g. `embed`, `attn_out`, `mlp_hidden`, `resid_final`. */
  readonly tapNames: readonly string[];
  /**
   * The taps a training transform (`ForwardRequest.transforms`) can rewrite, when not all of
   * `tapNames` can (a tap that is only a copy of values the forward pass does not read back,
   * like the Transformer's `embed`). Omitted: every tap.
   */
  readonly transformableTaps?: readonly string[];
  /** Trainable parameters by stable name: checkpoint keys and per-group norms use these. */
  readonly params: ReadonlyMap<string, Variable>;
  forward(batch: Batch, request?: ForwardRequest): ForwardResult;
  /** Element embedding matrix W_E ([order, d], rows in token order, `=` excluded), if the model has one. */
  elementEmbeddings?(): Tensor2D;
  dispose(): void;
}

/**
 * What a config's `task: { module, export?, options }` names: a function from the entry's
 * `options` to a Task (docs/plugins.md § Tasks, models and optimisers of your own). Throw a
 * `ConfigError` naming `task.options.<field>` for an option it cannot use.
 */
export type TaskFactory = (options: Readonly<Record<string, unknown>>, context: TaskContext) => Task;

export interface TaskContext {
  /**
   * Where relative paths are resolved from: the CLI's working directory (it has already made the
   * config's own `module` path absolute, but cannot know which options are paths). A factory
   * reading a file of its own can resolve it from its module's folder instead.
   */
  readonly baseDir: string;
}

/** What a config's `model: { module, … }` names: a Model for `task`, its weights drawn from `seed` (use `Rng.derive(seed, …)`). */
export type ModelFactory = (options: Readonly<Record<string, unknown>>, context: ModelContext) => Model;

export interface ModelContext {
  /** The task the model is for: `vocabSize` tokens in, `numClasses` logits out, `equalsToken` is `=`. */
  readonly task: Task;
  readonly seed: number;
}

/**
 * `{ name, apply(host) }`: taps the trainer's hooks and listens to its events through a `PluginHost`.
 * A plugin that keeps state a resumed run needs (a random stream, a step it has seen) gives
 * `saveState` and `loadState`: the trainer stores what `saveState` returns in each checkpoint
 * under the plugin's `name`, and hands it back to `loadState` on resume (docs/plugins.md § State).
 */
export interface Plugin {
  /** Unique among a run's plugins that keep state: it is the key of the state in the checkpoint. */
  readonly name: string;
  apply(host: PluginHost): void;
  /** This plugin's state, as plain JSON, for the checkpoint being written (called after `apply`). */
  saveState?(): PluginState;
  /**
   * On resume, after parameters and optimiser are restored and before the first step: the value
   * `saveState` returned when the checkpoint was written. A checkpoint without a state for a plugin
   * that has `loadState` is refused before any plugin is restored.
   */
  loadState?(state: PluginState): void;
}

/**
 * What a plugin is given: everything it may use and nothing more (docs/plugins.md § What a plugin
 * sees). It changes the run only through hooks; it watches through a read-only view of the events
 * and writes to the run's log with `log()`. It cannot end the run, write into the run directory
 * or swap the model: the trainer implements this interface and hands plugins only this view of itself.
 */
export interface PluginHost {
  /** Every extension point, in the order a run meets them (`createHooks`, docs/hooks.md). */
  readonly hooks: TrainerHooks;
  /** The trainer's events, to listen to (a progress bar, a logger); emitting is the trainer's alone. */
  readonly events: EventView;
  /** A line in the run's log (`log` event): a notice, or a warning about something the plugin worked around. */
  log(level: 'info' | 'warn', message: string): void;
  /**
   * Declares a run event (`memorised`, `grokked`): the first evaluation record for which `reached`
   * holds. The trainer applies the rule to every record, resumed ones included, and reports the
   * step in `summary.json` and `RunEnd.events`; core itself reads no metric (the run-events plugin states these rules).
   */
  defineEvent(name: RunEventName, reached: (record: MetricsRecord) => boolean): void;
  readonly model: Model;
  readonly task: Task;
  readonly split: Split;
  /** The run's seed: derive a plugin's own random stream from it (`Rng.derive(host.seed, name)`). */
  readonly seed: number;
  readonly runInfo: RunInfo;
  /** Steps completed so far. */
  readonly step: number;
}

/** The settings of the run a plugin is part of. */
export interface RunInfo {
  /** The step cap. */
  readonly steps: number;
  readonly evalEvery: number;
  /** Examples per step; null: full batch. */
  readonly batchSize: number | null;
  /** The run directory; undefined when nothing is written (tests, notebooks). */
  readonly dir: string | undefined;
}

/** Listening half of the trainer's event emitter. */
export interface EventView {
  on<E extends EventEmitter.EventNames<TrainerEvents>>(
    event: E,
    listener: EventEmitter.EventListener<TrainerEvents, E>,
  ): EventView;
  once<E extends EventEmitter.EventNames<TrainerEvents>>(
    event: E,
    listener: EventEmitter.EventListener<TrainerEvents, E>,
  ): EventView;
  off<E extends EventEmitter.EventNames<TrainerEvents>>(
    event: E,
    listener?: EventEmitter.EventListener<TrainerEvents, E>,
  ): EventView;
}

/** Where the step is when `forward`, `gradients` and `afterStep` fire: no tensors yet. */
export interface StepInfo {
  readonly step: number;
}

/**
 * What `beforeStep` taps may change for the coming step (schedules, sampling). Each tap sees the
 * previous one's changes. Both are part of a run's determinism: derive them from the step and
 * checkpointed state only, so a resumed run does the same (docs/hooks.md § beforeStep).
 */
export interface StepPlan extends StepInfo {
  /** The optimiser's learning rate for this step and after (it stays until changed; it is checkpointed). */
  learningRate: number;
  /**
   * The training examples of this step, as positions in `split.train` (repeats allowed): the
   * trainer's seeded draw for a minibatch run, null for full batch (every training example).
   */
  batch: Int32Array | null;
}

import type { RunStatus } from '@grokscope/base';
export type { RunStatus };

/** The run events `summary.json` reports. */
export type RunEventName = 'memorised' | 'grokked';

/** How a run ended, as data. */
export interface RunEnd {
  readonly status: RunStatus;
  readonly step: number;
  /** Why it stopped (a `shouldStop` reason, the signal, or the error message). */
  readonly reason?: string;
  readonly error?: Error;
  /** The step of each run event (`PluginHost.defineEvent`), null when not reached or not defined. */
  readonly events: { readonly memorised: number | null; readonly grokked: number | null };
}

/** Observer events (eventemitter3): listeners only watch; to change the run, tap a hook. */
export interface TrainerEvents {
  /** After every optimiser step, with the summed training loss. */
  step: (e: { step: number; totalSteps: number; loss: number }) => void;
  /** After each evaluation record is complete and logged. */
  evaluation: (record: MetricsRecord) => void;
  /** A checkpoint was written. */
  checkpoint: (e: { step: number; path: string }) => void;
  /** Human-readable messages (warnings on recovery, resume notices, plugins' `log()`). */
  log: (e: { level: 'info' | 'warn'; message: string }) => void;
  /** The run ended, however it ended. */
  done: (end: RunEnd) => void;
  /** The run failed; `done` follows with status `failed`. */
  error: (err: Error) => void;
}

/**
 * Every extension point of the trainer, in the order a run meets them; `createHooks` makes them
 * (the sentence for each is there and in docs/hooks.md). Hooks may change the run; to only
 * observe, listen on `events`. The per-step ones are Sync: they run inside `tf.tidy` and the tape.
 */
export interface TrainerHooks {
  readonly setup: AsyncSeriesHook<[PluginHost]>;
  readonly beforeStep: SyncHook<[StepPlan]>;
  readonly forward: SyncWaterfallHook<[ForwardRequest, StepInfo]>;
  readonly loss: SyncWaterfallHook<[LossTerms, StepContext]>;
  readonly gradients: SyncWaterfallHook<[NamedGradients, StepInfo]>;
  readonly afterStep: SyncHook<[StepInfo]>;
  readonly evaluate: AsyncSeriesHook<[Evaluation]>;
  readonly shouldStop: SyncBailHook<[Evaluation], string | undefined>;
  readonly done: AsyncSeriesHook<[RunEnd]>;
}

/** Named scalar loss terms, summed into the loss the optimiser minimises. */
export type LossTerms = Readonly<Record<string, Scalar>>;

/** What the per-step hooks see. Tensors here belong to the step: do not keep them. */
export interface StepContext {
  readonly step: number;
  readonly batch: Batch;
  readonly labels: Tensor1D;
  readonly forward: ForwardResult;
}

/** One evaluation, shared by every probe at that step. */
export interface Evaluation {
  readonly step: number;
  /** Tagged metrics written by probes (`accuracy/test`, `entropy/Hn`…; the built-in tags are `METRIC_TAGS`). */
  readonly metrics: Record<string, number>;
  /** The example indices of a subset. */
  indices(subset: Subset): Int32Array;
  /** Labels of a subset, in `indices` order. */
  labels(subset: Subset): Int32Array;
  /**
   * The model (no training transforms) over a subset, computed once per evaluation and shared
   * by probes; the tensors are disposed when the evaluation ends. A tap the model does not
   * list in `tapNames` is an `UnknownTapError`.
   */
  forward(subset: Subset, taps?: readonly string[]): ForwardResult;
}

/** A plugin's own checkpointed state (`Plugin.saveState`): plain JSON. */
export type PluginState = unknown;

/** One record of `metrics.jsonl`. */
export interface MetricsRecord {
  readonly step: number;
  readonly wallMs: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export type { Tensor };
