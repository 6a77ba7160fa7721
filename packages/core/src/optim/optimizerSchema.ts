import { z } from 'zod';
import { DEFAULT_OPTIMIZER, OPTIMIZERS } from '../facts';

/**
 * The config of a built-in optimiser (`OPTIMIZERS`), with its bounds and defaults. Core owns the
 * optimisers, so it owns this schema; the CLI composes it into the run config and restates
 * nothing (docs/architecture.md § Who owns which fact). Its parsed output is an `OptimizerConfig`.
 */
export const optimizerConfigSchema = z
  .strictObject({
    name: z.enum(OPTIMIZERS).default(DEFAULT_OPTIMIZER.name),
    lr: z.number().positive().default(DEFAULT_OPTIMIZER.lr),
    beta1: z.number().min(0).lt(1).default(DEFAULT_OPTIMIZER.beta1),
    beta2: z.number().min(0).lt(1).default(DEFAULT_OPTIMIZER.beta2),
    eps: z.number().positive().default(DEFAULT_OPTIMIZER.eps),
    weightDecay: z.number().min(0).default(DEFAULT_OPTIMIZER.weightDecay),
    momentum: z.number().min(0).lt(1).optional(),
  })
  .default({ ...DEFAULT_OPTIMIZER });
