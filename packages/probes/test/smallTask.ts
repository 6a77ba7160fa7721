/** a+b mod p over every pair, and a seeded train/test split: the probes tests' task, without @grokscope/tasks. */
import { Rng, type Split, type Task } from '@grokscope/core';

export function addTask(p: number): Task {
  const a: number[] = [],
    b: number[] = [],
    label: number[] = [];
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) {
      a.push(i);
      b.push(j);
      label.push((i + j) % p);
    }
  return {
    name: `add-${p}`,
    order: p,
    abelian: true,
    elementLabels: [],
    vocabSize: p + 1,
    equalsToken: p,
    numClasses: p,
    cyclic: { modulus: p, residues: Int32Array.from({ length: p }, (_, i) => i) },
    examples: { a: Int32Array.from(a), b: Int32Array.from(b), label: Int32Array.from(label) },
  };
}

/** The first `train` of a seed-0 permutation of the pairs for training, the rest for test. */
export function splitFirst(task: Task, train: number): Split {
  const perm = Rng.derive(0, 'split').permutation(task.examples.label.length);
  return { train: perm.slice(0, train).sort(), test: perm.slice(train).sort() };
}
