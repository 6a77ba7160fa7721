import * as path from 'node:path';
import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/base';
import { loadCayleyTable } from './cayleyTable';
import { type CyclicOp, cyclicTask } from './cyclicGroup';
import { dihedralTask } from './dihedralGroup';
import { symmetricTask } from './symmetricGroup';

export type TaskSpec =
  | { readonly kind: 'cyclic'; readonly modulus?: number; readonly op?: CyclicOp }
  | { readonly kind: 'symmetric'; readonly n?: number }
  | { readonly kind: 'dihedral'; readonly n?: number }
  | { readonly kind: 'cayley'; readonly path: string };

export type TaskKind = TaskSpec['kind'];

/** Each kind's fields with the type a config file must give them. */
const FIELDS: Record<TaskKind, Record<string, 'integer' | 'string'>> = {
  cyclic: { modulus: 'integer', op: 'string' },
  symmetric: { n: 'integer' },
  dihedral: { n: 'integer' },
  cayley: { path: 'string' },
};

export const TASK_KINDS: readonly TaskKind[] = Object.freeze(Object.keys(FIELDS) as TaskKind[]);

export interface TaskFromSpecOptions {
  /** Where a relative Cayley table path is resolved from (the config file's folder); the cwd by default. */
  readonly baseDir?: string;
}

/**
 * A task from a plain config object (presets, config files, the CLI), typed as `TaskSpec` and
 * checked strictly, since it usually comes from JSON: an unknown kind, an unknown field or a
 * field of the wrong type is a ConfigError naming it (`task.modulo`, `task.kind`…).
 */
export function taskFromSpec(spec: unknown, options: TaskFromSpecOptions = {}): Task {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ConfigError('task', `must be an object such as { "kind": "cyclic", "modulus": 97, "op": "add" }, got ${JSON.stringify(spec)}`);
  }
  const record = spec as Record<string, unknown>;
  const kind = record['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(FIELDS, kind)) {
    const what = kind === undefined ? 'is missing' : `${JSON.stringify(kind)} is not a task kind`;
    throw new ConfigError('task.kind', `${what}; choose one of ${TASK_KINDS.join(', ')}`);
  }
  const fields = FIELDS[kind as TaskKind];
  for (const [key, value] of Object.entries(record)) {
    // undefined is how TypeScript callers and schema validators say "not given".
    if (key === 'kind' || value === undefined) continue;
    const type = fields[key];
    if (!type) {
      const allowed = Object.keys(fields);
      const guess = allowed.find((f) => editDistance(f.toLowerCase(), key.toLowerCase()) <= 2);
      throw new ConfigError(`task.${key}`, `is not a field of a ${kind} task${guess ? ` (did you mean "${guess}"?)` : ''}; its fields are kind, ${allowed.join(', ')}`);
    }
    const ok = type === 'integer' ? Number.isInteger(value) : typeof value === 'string' && value !== '';
    if (!ok) throw new ConfigError(`task.${key}`, `must be ${type === 'integer' ? 'an integer' : 'a non-empty string'}, got ${JSON.stringify(value)}`);
  }
  const s = spec as TaskSpec;
  switch (s.kind) {
    case 'cyclic':
      return cyclicTask(s);
    case 'symmetric':
      return symmetricTask(s);
    case 'dihedral':
      return dihedralTask(s);
    case 'cayley':
      if (s.path === undefined) throw new ConfigError('task.path', 'is required for a cayley task: the path of a .json or .csv Cayley table');
      return loadCayleyTable(path.resolve(options.baseDir ?? '.', s.path));
  }
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
