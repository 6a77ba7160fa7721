import { Adam } from '../adam';
import { defineOptimizerKind } from '../optimizerKind';
import { optimizerConfigSchema } from '../optimizerSchema';

/** AdamW: Adam with decoupled weight decay (the study's optimiser). */
export const adamwKind = defineOptimizerKind({
  kind: 'adamw',
  schema: optimizerConfigSchema,
  create: (c) => new Adam({ ...c, decoupled: true }),
  describe: (c) => `AdamW lr ${c.lr}, weight decay ${c.weightDecay}`,
});
