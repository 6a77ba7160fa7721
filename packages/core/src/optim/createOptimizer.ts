import { KindRegistry } from '@grokscope/base';
import { adamKind } from './kinds/adamKind';
import { adamwKind } from './kinds/adamwKind';
import { sgdKind } from './kinds/sgdKind';
import type { Optimizer, OptimizerConfig } from './optimizer';
import type { OptimizerKindDescriptor } from './optimizerKind';

/** Every optimiser kind by the name a config gives in `optimizer.name`: the built-ins below, then a team's own. */
export const optimizerKinds = new KindRegistry<OptimizerKindDescriptor>('optimizer', 'name');

/**
 * The project's own optimisers, registered like anyone's: a new built-in is one file in `kinds/` and one line here
 * (and its name in `OPTIMIZERS`).
 */
export const BUILT_IN_OPTIMIZER_KINDS = [adamwKind, adamKind, sgdKind] as const;
for (const kind of BUILT_IN_OPTIMIZER_KINDS) optimizerKinds.register(kind as OptimizerKindDescriptor);

/** An optimiser of any registered kind from its config; AdamW is the study's default. */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  return optimizerKinds.get(config.name).create(config);
}
