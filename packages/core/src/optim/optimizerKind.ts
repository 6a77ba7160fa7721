import type { z } from 'zod';
import type { Optimizer } from './optimizer';

/**
 * One kind of optimiser, in one object: the schema of its config, how to build it and how
 * progress lines name it. The built-ins share one schema (`optimizerConfigSchema`, whose `name`
 * chooses the kind) and are each one file in `optim/kinds/` and one line of
 * `BUILT_IN_OPTIMIZER_KINDS`; a team's own registers in `optimizerKinds`, or is the export of an
 * `optimizer: { module }` entry, its `options` parsed by its schema.
 */
export interface OptimizerKindDescriptor<S extends z.ZodType = z.ZodType> {
  /** The name a config gives in `optimizer.name`. */
  readonly kind: string;
  readonly schema: S;
  create(config: z.output<S>): Optimizer;
  /** `AdamW lr 0.001`: how progress lines name it. */
  describe(config: z.output<S>): string;
}

/** Declares an optimiser kind with its config's type inferred from its schema. */
export function defineOptimizerKind<S extends z.ZodType>(
  descriptor: OptimizerKindDescriptor<S>,
): OptimizerKindDescriptor<S> {
  return descriptor;
}
