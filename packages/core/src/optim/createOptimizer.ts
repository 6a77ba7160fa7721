import { ConfigError } from '../errors';
import { OPTIMIZERS } from '../facts';
import { Adam } from './adam';
import type { Optimizer, OptimizerConfig } from './optimizer';
import { Sgd } from './sgd';

/** An optimiser from its config; AdamW is the study's default. */
export function createOptimizer(config: OptimizerConfig): Optimizer {
  switch (config.name) {
    case 'adamw':
      return new Adam({ ...config, decoupled: true });
    case 'adam':
      return new Adam({ ...config, decoupled: false });
    case 'sgd':
      return new Sgd(config);
    default:
      throw new ConfigError('optimizer.name', `unknown optimiser "${(config as { name: string }).name}"; choose one of ${OPTIMIZERS.join(', ')}`);
  }
}
