import type { Task, TaskContext } from '@grokscope/core';
import { z } from 'zod';
import { SPLIT_UNITS } from './splitExamples';

/** A task's size, told from its config without building it (building S7's 25M pairs alone takes ~20 s). */
export interface TaskSize {
  readonly name: string;
  /** |G|: the number of elements, classes and element tokens. */
  readonly order: number;
  /** (a, b) pairs the task holds. */
  readonly pairs: number;
}

/**
 * One kind of task, everything about it in one object: the schema of its config (`kind` and its
 * own fields, with bounds and defaults), how to build it, how progress lines name it, its size
 * without building it and how to make it smaller. The project's kinds are descriptors like any
 * other: each is one file in `src/kinds/` and one line of `BUILT_IN_TASK_KINDS`; a team's own
 * kind registers in `taskKinds`, or is the export of a `{ module }` entry (docs/plugins.md).
 */
export interface TaskKindDescriptor<S extends z.ZodType = z.ZodType> {
  readonly kind: string;
  /** `z.strictObject({ kind: z.literal(kind), … })`, so a field of another kind is an unknown field. */
  readonly schema: S;
  /** The task a parsed config asks for; throws a ConfigError for a value the schema cannot judge. */
  create(config: z.output<S>, context: TaskContext): Task;
  /** `add mod 31`, `S5`: how progress lines and charts name it. */
  describe(config: z.output<S>): string;
  /** Its size without building it, for the memory check; null (or absent) when that cannot be told cheaply. */
  size?(config: z.output<S>, context: TaskContext): TaskSize | null;
  /**
   * How to make it fit when the memory check refuses it: `task.modulus to 421 or less (a prime)`
   * for the largest config of this kind that `fits`, or null when none does or the kind has no
   * size knob. `at` is where its fields sit in the run config (`task`, `task.options`).
   */
  shrink?(config: z.output<S>, fits: (smaller: z.output<S>) => boolean, at: string): string | null;
}

/** Declares a task kind with its config's type inferred from its schema. */
export function defineTaskKind<S extends z.ZodType>(descriptor: TaskKindDescriptor<S>): TaskKindDescriptor<S> {
  return descriptor;
}

/** The share of pairs that goes to training (`splitExamples`); the rest is the test set. */
export const trainFraction = z.number().gt(0).lt(1).default(0.3);

/**
 * What the split draws (`splitTask`): ordered pairs (absent: today's split, so older manifests
 * resume unchanged) or unordered pairs, keeping (a, b) and (b, a) on the same side.
 */
export const split = z.enum(SPLIT_UNITS).optional();

/** The fields every task entry of a run config has besides its kind's own: the split. */
export const splitFields = { trainFraction, split };
