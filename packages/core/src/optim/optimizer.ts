import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { OptimizerName } from '../facts';

/** Gradients by parameter name (the keys of `Model.params`). */
export type NamedGradients = Map<string, Tensor>;

/** An optimiser whose whole state (slots and step count) can be checkpointed and restored. */
export interface Optimizer {
  readonly name: string;
  /**
   * The step size of the next update. Settable so that a `beforeStep` tap can schedule it;
   * an optimiser without it cannot be scheduled (a plugin that tries gets a named error).
   */
  learningRate?: number;
  /** Number of updates applied so far. */
  readonly iterations: number;
  /** Applies one update in place; `grads` is not disposed. */
  apply(params: ReadonlyMap<string, Variable>, grads: NamedGradients): void;
  /** Slot tensors by name (e.g. `m/embed`), for checkpoints. Not copies: read, don't dispose. */
  slots(): Map<string, Tensor>;
  /** Restores slots and the step count written by `slots()` / `iterations`. */
  load(iterations: number, slots: Map<string, { shape: number[]; values: Float32Array }>): void;
  dispose(): void;
}

export interface OptimizerConfig {
  /** One of `OPTIMIZERS` (`facts.ts`). */
  readonly name: OptimizerName;
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** AdamW: decoupled decay; Adam and SGD: L2 added to the gradient. */
  readonly weightDecay?: number;
  /** SGD only. */
  readonly momentum?: number;
}

/** What a config's `optimizer: { module, export?, options }` names: an Optimizer from the entry's `options`. */
export type OptimizerFactory = (options: Readonly<Record<string, unknown>>) => Optimizer;
