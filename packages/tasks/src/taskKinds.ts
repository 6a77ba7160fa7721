import { ConfigError, KindRegistry, parseConfig } from '@grokscope/base';
import type { Task } from '@grokscope/core';
import { z } from 'zod';
import { cayleyKind } from './kinds/cayleyKind';
import { cyclicKind } from './kinds/cyclicKind';
import { dihedralKind } from './kinds/dihedralKind';
import { symmetricKind } from './kinds/symmetricKind';
import type { TaskKindDescriptor, TaskSize } from './taskKind';

/** Every task kind by name: the built-ins below, then whatever a team registers (or a `{ module }` entry exports). */
export const taskKinds = new KindRegistry<TaskKindDescriptor>('task');

/**
 * The project's own task kinds, registered like anyone's: a new built-in kind is one file in `kinds/` and one line
 * here.
 */
export const BUILT_IN_TASK_KINDS = [cyclicKind, symmetricKind, dihedralKind, cayleyKind] as const;
for (const kind of BUILT_IN_TASK_KINDS) taskKinds.register(kind as TaskKindDescriptor);

type Schemas<T extends readonly { schema: unknown }[]> = { -readonly [K in keyof T]: T[K]['schema'] };

/**
 * The config of a built-in task kind: the union of their schemas, which the CLI composes into the
 * run config (docs/architecture.md § Who owns which fact).
 */
export const taskConfigSchema = z.discriminatedUnion(
  'kind',
  BUILT_IN_TASK_KINDS.map((d) => d.schema) as Schemas<typeof BUILT_IN_TASK_KINDS>,
);

export type TaskConfig = z.infer<typeof taskConfigSchema>;

export interface TaskFromSpecOptions {
  /** Where a relative Cayley table path is resolved from (the config file's folder); the cwd by default. */
  readonly baseDir?: string;
}

/**
 * A task from a plain config object `{ kind, … }` of any registered kind, checked by that kind's
 * schema: an unknown kind, an unknown field or a value out of bounds is a ConfigError naming it
 * (`task.modulo`, `task.kind`…).
 */
export function taskFromSpec(spec: unknown, options: TaskFromSpecOptions = {}): Task {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ConfigError(
      'task',
      `must be an object such as { "kind": "cyclic", "modulus": 97, "op": "add" }, got ${JSON.stringify(spec)}`,
    );
  }
  // undefined is how TypeScript callers and schema validators say "not given".
  const given = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
  const kind = taskKinds.get(given['kind']);
  return kind.create(parseConfig(kind.schema, given, 'task'), { baseDir: options.baseDir ?? process.cwd() });
}

/** A task's config as written: its kind and that kind's fields, any left out taking the schema's default. */
export type TaskConfigInput =
  | z.input<typeof taskConfigSchema>
  | { readonly kind: string; readonly [field: string]: unknown };

/**
 * The kind's descriptor and the config parsed by its schema (defaults filled in); a ConfigError naming the field if it
 * does not parse.
 */
function parsed(config: TaskConfigInput): { kind: TaskKindDescriptor; config: unknown } {
  const kind = taskKinds.get(config.kind);
  return { kind, config: parseConfig(kind.schema, config, 'task') };
}

/** `add mod 31`, `S5`, `D4`, `Cayley table z3.csv`: how progress lines and charts name a task of a registered kind. */
export function describeTaskConfig(config: TaskConfigInput): string {
  const p = parsed(config);
  return p.kind.describe(p.config);
}

/**
 * The size of the task a config asks for, from its kind's `size` without building it; null when
 * that cannot be told cheaply (a modulus that is not prime, a table that does not parse, a kind
 * without `size`): building the task then gives the named error. A relative path is resolved from `baseDir`.
 */
export function taskConfigSize(config: TaskConfigInput, baseDir = process.cwd()): TaskSize | null {
  const p = parsed(config);
  return p.kind.size?.(p.config, { baseDir }) ?? null;
}
