import { Adam } from '../adam';
import { defineOptimizerKind } from '../optimizerKind';
import { optimizerConfigSchema } from '../optimizerSchema';

/** Adam with L2 weight decay added to the gradient. */
export const adamKind = defineOptimizerKind({
  kind: 'adam',
  schema: optimizerConfigSchema,
  create: (c) => new Adam({ ...c, decoupled: false }),
  describe: (c) => `Adam lr ${c.lr}, weight decay ${c.weightDecay}`,
});
