import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/base';

/** 2^25 pairs (S7 has 25.4M): three Int32Arrays of this length already take 400 MB. */
export const MAX_EXAMPLES = 2 ** 25;

export interface GroupTaskInit {
  readonly name: string;
  /** Element labels, in token order; the group's order is their count. */
  readonly labels: readonly string[];
  /** The operation on element tokens: a token, or -1 when the pair is not an example. */
  readonly op: (a: number, b: number) => number;
  /**
   * Whether the GROUP is commutative. For Z/pZ tasks this stays true even when the task's
   * operation is not symmetric (a−b, a·b⁻¹, a³+ab): it describes the group, not the op.
   */
  readonly abelian: boolean;
  readonly cyclic?: Task['cyclic'];
}

/**
 * The one way every builder makes a Task: all ordered pairs (a, b) the operation defines,
 * row-major in (a, b), labelled a∘b; vocabulary = the elements plus `=` (token `order`).
 */
export function groupTask(init: GroupTaskInit): Task {
  const order = init.labels.length;
  if (order === 0) throw new ConfigError('task', `${init.name} has no elements`);
  if (order * order > MAX_EXAMPLES) {
    throw new ConfigError(
      'task',
      `${init.name} has ${order}² = ${order * order} pairs, more than the ${MAX_EXAMPLES} a task may hold; choose a smaller group`,
    );
  }
  const a = new Int32Array(order * order);
  const b = new Int32Array(order * order);
  const label = new Int32Array(order * order);
  let count = 0;
  for (let i = 0; i < order; i++) {
    for (let j = 0; j < order; j++) {
      const c = init.op(i, j);
      if (c === -1) continue;
      if (!Number.isInteger(c) || c < 0 || c >= order) {
        throw new RangeError(
          `${init.name}: the operation gave ${c} for tokens (${i}, ${j}), not a token in 0..${order - 1}`,
        );
      }
      a[count] = i;
      b[count] = j;
      label[count] = c;
      count++;
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
    ...(init.cyclic ? { cyclic: Object.freeze({ ...init.cyclic }) } : {}),
    examples: Object.freeze({ a: a.slice(0, count), b: b.slice(0, count), label: label.slice(0, count) }),
  });
}

/** The operation table of a task as a |G|×|G| array of tokens (-1 where a pair is not an example). */
export function operationTable(task: Task): number[][] {
  const t = Array.from({ length: task.order }, () => new Array<number>(task.order).fill(-1));
  const { a, b, label } = task.examples;
  for (let i = 0; i < label.length; i++) t[a[i]!]![b[i]!] = label[i]!;
  return t;
}
