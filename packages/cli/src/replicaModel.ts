import type { Model } from '@grokscope/core';
import type { RunConfig } from './configSchema';
import { preloadModules, resolveModel, resolveTask } from './resolveComponents';

/**
 * What a shard worker calls to build its replica of a run's model (core's `WorkerShardPool`,
 * docs/throughput.md § Every core on one run): the task and model from the same config, by the
 * same kinds and modules, so the replica's parameters are named and shaped as the run's. Its
 * initial values do not matter: the worker loads the run's parameters before every step.
 */
export function replicaModel(options: { readonly config: RunConfig; readonly baseDir: string }): Model {
  const { config, baseDir } = options;
  const task = resolveTask(config.task, baseDir);
  preloadModules(config, baseDir);
  return resolveModel(config.model, task, config.seed, baseDir);
}
