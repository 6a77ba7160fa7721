import type { Task } from '@grokscope/core';

export interface GroupTaskInit {
  readonly name: string;
  /** Element labels, in token order. */
  readonly labels: readonly string[];
  /** The operation on element tokens; returns a token, or -1 when the pair is not an example. */
  readonly op: (a: number, b: number) => number;
  /** Whether the group is abelian (a property of the group, not of the task's operation). */
  readonly abelian: boolean;
  readonly cyclic?: Task['cyclic'];
}

/** Builds a Task from an operation table: every valid ordered pair, row-major in (a, b). */
export function groupTask(init: GroupTaskInit): Task {
  const order = init.labels.length;
  const a: number[] = [];
  const b: number[] = [];
  const label: number[] = [];
  for (let i = 0; i < order; i++) {
    for (let j = 0; j < order; j++) {
      const c = init.op(i, j);
      if (c < 0) continue;
      a.push(i);
      b.push(j);
      label.push(c);
    }
  }
  return Object.freeze({
    name: init.name,
    order,
    abelian: init.abelian,
    elementLabels: Object.freeze([...init.labels]),
    vocabSize: order + 1,
    equalsToken: order,
    numClasses: order,
    ...(init.cyclic ? { cyclic: init.cyclic } : {}),
    examples: Object.freeze({ a: Int32Array.from(a), b: Int32Array.from(b), label: Int32Array.from(label) }),
  });
}

/** The operation table of a task as a |G|×|G| array (-1 where a pair is not an example). */
export function operationTable(task: Task): number[][] {
  const t = Array.from({ length: task.order }, () => new Array<number>(task.order).fill(-1));
  const { a, b, label } = task.examples;
  for (let i = 0; i < label.length; i++) t[a[i]!]![b[i]!] = label[i]!;
  return t;
}
