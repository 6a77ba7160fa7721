import type { Model } from '@grokscope/core';
import type { z } from 'zod';
import type { ModelShape } from './transformer';

/** Float32 tensors a model keeps alive per example row: `count` tensors of `width` floats each. */
export interface RowTensors {
  readonly what: string;
  readonly count: number;
  readonly width: number;
}

/**
 * What a model kind tells the memory check: its trainable parameters and, per example row, the
 * tensors alive at the peak of one training step (forward intermediates kept for the backward
 * pass, their gradients, the loss's [rows, classes] tensors) and of one evaluation.
 * `estimateMemory` adds the parameters' gradients and optimiser moments, the train split and the rows.
 */
export interface ModelMemory {
  readonly parameters: number;
  readonly perRow: { readonly train: readonly RowTensors[]; readonly eval: readonly RowTensors[] };
}

/**
 * One kind of model, everything about it in one object: the schema of its config (`kind` and its
 * own fields, with bounds and defaults: the one place they are written), how to build it, how
 * progress lines name it, its memory and how to make it smaller. The project's kinds are
 * descriptors like any other: each is one file in `src/kinds/` and one line of
 * `BUILT_IN_MODEL_KINDS`; a team's own registers in `modelKinds`, or is the export of a `{ module }` entry.
 */
export interface ModelKindDescriptor<S extends z.ZodType = z.ZodType> {
  readonly kind: string;
  /** `z.strictObject({ kind: z.literal(kind), … })`. */
  readonly schema: S;
  create(shape: ModelShape, config: z.output<S>, seed: number): Model;
  /** `transformer d64, 4 heads, 1 layer`: how progress lines and charts name it. */
  describe(config: z.output<S>): string;
  /** Its parameters and activations, for the memory check; absent: the check cannot judge this model. */
  memory?(shape: ModelShape, config: z.output<S>): ModelMemory;
  /**
   * A smaller config of this kind that `fits`, described for the memory check's advice
   * (`model.dModel 64 and model.dMlp 256`), or null. `at` is where its fields sit (`model`, `model.options`).
   */
  shrink?(config: z.output<S>, fits: (smaller: z.output<S>) => boolean, at: string): string | null;
}

/** Declares a model kind with its config's type inferred from its schema. */
export function defineModelKind<S extends z.ZodType>(descriptor: ModelKindDescriptor<S>): ModelKindDescriptor<S> {
  return descriptor;
}
