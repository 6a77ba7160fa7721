/**
 * Every plugin-facing interface of grokscope, in one place. Core implements none of the tasks,
 * models or probes described here: packages (or a team's own code) do, against these shapes.
 */
import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Trainer } from './trainer/trainer';

/** All ordered pairs of a task as plain arrays: example i is `a[i] b[i] =` with label `label[i]`. */
export interface Examples {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly label: Int32Array;
}

/**
 * A finite group with its binary operation. Tokens 0..order-1 are the elements in the task's
 * own order; token `equalsToken` (= order) is `=`. Labels are element tokens.
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
  /** The config file's folder: resolve a relative path an option gives (a table file) from here. */
  readonly baseDir: string;
}

/** What a config's `model: { module, … }` names: a Model for `task`, its weights drawn from `seed` (use `Rng.derive(seed, …)`). */
export type ModelFactory = (options: Readonly<Record<string, unknown>>, context: ModelContext) => Model;

export interface ModelContext {
  /** The task the model is for: `vocabSize` tokens in, `numClasses` logits out, `equalsToken` is `=`. */
  readonly task: Task;
  readonly seed: number;
}

/** `{ name, apply(trainer) }`: taps the trainer's hooks and listens to its events. */
export interface Plugin {
  readonly name: string;
  apply(trainer: Trainer): void;
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

/** A plugin's own checkpointed state: plain JSON. */
export type PluginState = unknown;

/**
 * A plugin's own slot in a checkpoint, scoped to the plugin's name: the `checkpoint` hook saves
 * with `set`, the `restore` hook reads with `get`. No plugin sees another's state.
 */
export interface PluginStateSlot {
  /** The state this plugin saved in the checkpoint being restored (undefined when saving). */
  get(): PluginState | undefined;
  /** Saves this plugin's state into the checkpoint being written (once per checkpoint). */
  set(state: PluginState): void;
}

/** One record of `metrics.jsonl`. */
export interface MetricsRecord {
  readonly step: number;
  readonly wallMs: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export type { Tensor };
