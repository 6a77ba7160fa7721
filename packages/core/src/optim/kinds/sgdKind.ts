import { defineOptimizerKind } from '../optimizerKind';
import { optimizerConfigSchema } from '../optimizerSchema';
import { Sgd } from '../sgd';

/** Stochastic gradient descent, with momentum when the config gives it. */
export const sgdKind = defineOptimizerKind({
  kind: 'sgd',
  schema: optimizerConfigSchema,
  create: (c) => new Sgd(c),
  describe: (c) => `SGD lr ${c.lr}${c.momentum === undefined ? '' : `, momentum ${c.momentum}`}`,
});
