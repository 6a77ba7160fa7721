import * as path from 'node:path';
import { Trainer, type Plugin } from '@grokscope/core';
import { createModel } from '@grokscope/models';
import { splitExamples, taskFromSpec } from '@grokscope/tasks';
import type { RunConfig } from './configSchema';
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

/** Config → task, split, model, plugins → a Trainer writing to `runDir`. */
export function buildTrainer(config: RunConfig, runDir: string | undefined, opts: { resume?: boolean; baseDir?: string; extraPlugins?: Plugin[] } = {}): Trainer {
  const { trainFraction, ...taskSpec } = config.task;
  const task = taskFromSpec(taskSpec as never);
  const split = splitExamples(task.examples.label.length, trainFraction, config.seed);
  const model = createModel(task, config.model as never, config.seed);
  const baseDir = opts.baseDir ?? process.cwd();
  const plugins = [
    ...resolvePlugins(config.probes, 'probes', baseDir),
    ...resolvePlugins(config.interventions, 'interventions', baseDir),
    ...(opts.extraPlugins ?? []),
  ];
  return new Trainer({
    task,
    split,
    model,
    steps: config.train.steps,
    evalEvery: config.train.evalEvery,
    checkpointEvery: config.train.checkpointEvery,
    batchSize: config.train.batchSize,
    optimizer: config.optimizer,
    seed: config.seed,
    runDir: runDir === undefined ? undefined : path.resolve(runDir),
    resume: opts.resume,
    plugins,
    config,
    backend: config.backend,
    versions: packageVersions(),
    thresholds: config.thresholds,
  });
}
