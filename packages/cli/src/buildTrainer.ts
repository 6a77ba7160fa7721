import * as path from 'node:path';
import { type Plugin, type Split, type Task, Trainer, WorkerShardPool, type WriteGuard } from '@grokscope/core';
import { runEvents, stopAfterGrokked } from '@grokscope/probes';
import { splitTask } from '@grokscope/tasks';
import type { RunConfig } from './configSchema';
import { runIdentity } from '@grokscope/core/facts';
import { checkMemory } from './memoryCheck';
import { preloadModules, resolveModel, resolveOptimizer, resolveTask } from './resolveComponents';
import { resolvePlugins } from './resolvePlugins';

/** Versions recorded in each manifest. */
export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['cli', 'tasks', 'models', 'probes']) {
    try {
      out[`@grokscope/${name}`] = (require(`@grokscope/${name}/package.json`) as { version: string }).version;
    } catch {
      // a package without its package.json export is simply not listed
    }
  }
  return out;
}

/** What a config asks for, built without tensors: the task, its split and the plugins. */
export interface RunPlan {
  readonly config: RunConfig;
  readonly task: Task;
  readonly split: Split;
  readonly plugins: readonly Plugin[];
}

/**
 * Builds everything a run needs that involves no tensors, so a config error (a modulus that
 * is not prime, an unknown plugin, a module that does not load) shows before the backend
 * loads and before a run directory is created. Relative plugin modules resolve from `baseDir`;
 * `workers` is how many threads will compute the run's shards (the memory check counts them).
 */
export function planRun(config: RunConfig, baseDir = process.cwd(), workers = 1): RunPlan {
  // A task or model too large for the backend, or its shard workers for this machine: refused before the task is built.
  checkMemory(config, baseDir, undefined, workers);
  const task = resolveTask(config.task, baseDir);
  preloadModules(config, baseDir);
  const split = splitTask(task.examples, config.task.trainFraction, config.seed, config.task.split);
  const plugins = [
    ...resolvePlugins(config.probes, 'probes', baseDir),
    ...resolvePlugins(config.interventions, 'interventions', baseDir),
  ];
  const after = config.train.stopAfterGrokked;
  if (after !== undefined) plugins.push(stopAfterGrokked({ after, threshold: config.thresholds.grokked }));
  // summary.json's memorised and grokked, by the config's thresholds (core reads no metric itself).
  plugins.push(runEvents(config.thresholds));
  return { config, task, split, plugins };
}

// What a checkpoint must match (the config less train.steps) has one owner, shared with the lab.
export { runIdentity } from '@grokscope/core/facts';

/** Config → task, split, model, plugins → a Trainer writing to `runDir` (none: nothing is written). */
export function buildTrainer(
  config: RunConfig,
  runDir: string | undefined,
  opts: {
    resume?: boolean;
    baseDir?: string;
    extraPlugins?: Plugin[];
    plan?: RunPlan;
    writeGuard?: WriteGuard;
    /** Threads computing the run's shards (`--workers`); default 1. Only a sharded run uses more than one. */
    workers?: number;
  } = {},
): Trainer {
  const baseDir = opts.baseDir ?? process.cwd();
  const plan = opts.plan ?? planRun(config, baseDir);
  const model = resolveModel(config.model, plan.task, config.seed, baseDir);
  const shards = config.train.shards ?? 1;
  const workers = Math.min(shards, opts.workers ?? 1);
  // Each helper builds its replica from this same config (replicaModel.ts), on the run's backend.
  const shardPool =
    workers > 1
      ? new WorkerShardPool({
          helpers: workers - 1,
          backend: config.backend,
          replica: {
            module: path.join(__dirname, 'replicaModel.js'),
            export: 'replicaModel',
            options: { config, baseDir },
          },
        })
      : undefined;
  return new Trainer({
    task: plan.task,
    split: plan.split,
    model,
    steps: config.train.steps,
    evalEvery: config.train.evalEvery,
    checkpointEvery: config.train.checkpointEvery,
    batchSize: config.train.batchSize,
    shards,
    shardPool,
    optimizer: resolveOptimizer(config.optimizer, baseDir),
    seed: config.seed,
    runDir: runDir === undefined ? undefined : path.resolve(runDir),
    resume: opts.resume,
    writeGuard: opts.writeGuard,
    plugins: [...plan.plugins, ...(opts.extraPlugins ?? [])],
    run: { config, identity: runIdentity(config) },
    backend: config.backend,
    versions: packageVersions(),
  });
}
