import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/core/errors';
import { loadCayleyTable } from './cayleyTable';
import { type CyclicOp, cyclicTask } from './cyclicGroup';
import { dihedralTask } from './dihedralGroup';
import { symmetricTask } from './symmetricGroup';

export type TaskSpec =
  | { readonly kind: 'cyclic'; readonly modulus?: number; readonly op?: CyclicOp }
  | { readonly kind: 'symmetric'; readonly n?: number }
  | { readonly kind: 'dihedral'; readonly n?: number }
  | { readonly kind: 'cayley'; readonly path: string };

/** A task from a plain config object (presets and config files). */
export function taskFromSpec(spec: TaskSpec): Task {
  switch (spec.kind) {
    case 'cyclic':
      return cyclicTask(spec);
    case 'symmetric':
      return symmetricTask(spec);
    case 'dihedral':
      return dihedralTask(spec);
    case 'cayley':
      if (typeof spec.path !== 'string') throw new ConfigError('task.path', 'a cayley task needs the path of a JSON or CSV table');
      return loadCayleyTable(spec.path);
    default:
      throw new ConfigError('task.kind', `unknown task "${(spec as { kind: string }).kind}"; choose cyclic, symmetric, dihedral or cayley`);
  }
}
