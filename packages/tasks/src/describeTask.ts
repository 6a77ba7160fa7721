import type { Task } from '@grokscope/core';

/** A task without its examples, as plain JSON: for manifests, reports and `--describe`. */
export type TaskDescription = Omit<Task, 'examples' | 'cyclic'> & {
  /** How many (a, b) pairs the task has: |G|², or fewer when the operation excludes some (div). */
  readonly examples: number;
  readonly cyclic?: { readonly modulus: number; readonly residues: readonly number[] };
};

export function describeTask(task: Task): TaskDescription {
  return {
    name: task.name,
    order: task.order,
    abelian: task.abelian,
    elementLabels: [...task.elementLabels],
    vocabSize: task.vocabSize,
    equalsToken: task.equalsToken,
    numClasses: task.numClasses,
    examples: task.examples.label.length,
    ...(task.cyclic ? { cyclic: { modulus: task.cyclic.modulus, residues: Array.from(task.cyclic.residues) } } : {}),
  };
}
