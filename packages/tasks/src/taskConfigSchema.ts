import * as path from 'node:path';
import { z } from 'zod';
import { CYCLIC_OPS } from './cyclicGroup';
import { SPLIT_UNITS } from './splitExamples';

/** The share of pairs that goes to training (`splitExamples`); the rest is the test set. */
export const trainFraction = z.number().gt(0).lt(1).default(0.3);

/**
 * What the split draws (`splitTask`): ordered pairs (absent: today's split, so older manifests
 * resume unchanged) or unordered pairs, keeping (a, b) and (b, a) on the same side.
 */
export const split = z.enum(SPLIT_UNITS).optional();

/**
 * The config of each built-in task kind with its bounds and defaults, one object per kind so a
 * field of another kind (`n` on a cyclic task) is an unknown field. This package owns its tasks,
 * so it owns this schema; the CLI composes it into the run config and restates nothing
 * (docs/architecture.md § Who owns which fact). `taskFromSpec` builds what it parses.
 */
export const taskConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cyclic'), modulus: z.number().int().min(3).default(97), op: z.enum(CYCLIC_OPS as [string, ...string[]]).default('add'), trainFraction, split }),
  z.strictObject({ kind: z.literal('symmetric'), n: z.number().int().min(2).max(7).default(5), trainFraction, split }),
  z.strictObject({ kind: z.literal('dihedral'), n: z.number().int().min(3).default(4), trainFraction, split }),
  z.strictObject({ kind: z.literal('cayley'), path: z.string().min(1), trainFraction, split }),
]);

export type TaskConfig = z.infer<typeof taskConfigSchema>;

/** `add mod 31`, `S5`, `D4`, `Cayley table z3.csv`: how progress lines and charts name a built-in task. */
export function describeTaskConfig(t: TaskConfig): string {
  switch (t.kind) {
    case 'cyclic':
      return `${t.op} mod ${t.modulus}`;
    case 'symmetric':
      return `S${t.n}`;
    case 'dihedral':
      return `D${t.n}`;
    case 'cayley':
      return `Cayley table ${path.basename(t.path)}`;
  }
}
