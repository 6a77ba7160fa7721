import {
  ConfigError,
  type Model,
  type ModelFactory,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerFactory,
  type Task,
  type TaskFactory,
} from '@grokscope/core';
import { isModuleRef, type ModuleRef, type RunConfig } from './configSchema';
import { modelKindOf, optimizerKindOf, taskKindOf } from './kinds';
import { loadExport } from './loadExport';

/**
 * The task, model and optimiser a config names: a built-in (built by the package that owns it)
 * or `{ module, export?, options }`, a factory of the team's own, called with its options. What a
 * factory returns is checked for the shape core relies on, so a mistake is a ConfigError naming
 * the entry rather than a crash deep inside training (docs/plugins.md § Tasks, models and optimisers of your own).
 */
export function resolveTask(entry: RunConfig['task'], baseDir: string): Task {
  const kind = taskKindOf(entry, baseDir);
  const task = kind
    ? kind.descriptor.create(kind.config, { baseDir })
    : callFactory<TaskFactory>(entry as ModuleRef, 'task', baseDir)((entry as ModuleRef).options, { baseDir });
  if (isModuleRef(entry)) checkTask(task, entry);
  return task;
}

export function resolveModel(entry: RunConfig['model'], task: Task, seed: number, baseDir: string): Model {
  const kind = modelKindOf(entry, baseDir);
  if (kind && !isModuleRef(entry)) return kind.descriptor.create(task, kind.config, seed);
  const ref = entry as ModuleRef;
  const model = kind
    ? kind.descriptor.create(task, kind.config, seed)
    : callFactory<ModelFactory>(ref, 'model', baseDir)(ref.options, { task, seed });
  const missing = shapeProblems(model, {
    name: 'string',
    tapNames: 'array',
    params: 'map',
    forward: 'function',
    dispose: 'function',
  });
  if (missing.length > 0)
    throw new ConfigError(
      'model.export',
      `${describe(ref)} returned no Model: ${missing.join('; ')} (see core's Model interface)`,
    );
  return model;
}

/** A built-in's config passes through (core builds it); a module's factory is called here. */
export function resolveOptimizer(entry: RunConfig['optimizer'], baseDir: string): OptimizerConfig | Optimizer {
  if (!isModuleRef(entry)) return entry as OptimizerConfig;
  const kind = optimizerKindOf(entry, baseDir);
  const optimizer = kind
    ? kind.descriptor.create(kind.config)
    : callFactory<OptimizerFactory>(entry, 'optimizer', baseDir)(entry.options);
  const missing = shapeProblems(optimizer, {
    name: 'string',
    iterations: 'number',
    apply: 'function',
    slots: 'function',
    load: 'function',
    dispose: 'function',
  });
  if (missing.length > 0)
    throw new ConfigError(
      'optimizer.export',
      `${describe(entry)} returned no Optimizer: ${missing.join('; ')} (see core's Optimizer interface)`,
    );
  return optimizer;
}

/** `module ./ops.js (export quadratic)`: how progress lines name a module entry. */
export function describe(entry: ModuleRef): string {
  return `module ${entry.module}${entry.export ? ` (export ${entry.export})` : ''}`;
}

/** Loads the modules a config's model and optimiser name, without calling them (that needs the backend): a path mistake shows before training starts. */
export function preloadModules(config: RunConfig, baseDir: string): void {
  for (const where of ['model', 'optimizer'] as const) {
    const entry = config[where];
    if (!isModuleRef(entry)) continue;
    // A module exporting a kind descriptor is loaded, registered and its options checked here.
    const kind = where === 'model' ? modelKindOf(config.model, baseDir) : optimizerKindOf(config.optimizer, baseDir);
    if (!kind) callFactory(entry as ModuleRef, where, baseDir);
  }
}

function callFactory<F>(entry: ModuleRef, where: string, baseDir: string): F {
  const exported = loadExport(entry.module, entry.export ?? 'default', where, baseDir);
  if (typeof exported !== 'function') {
    throw new ConfigError(
      `${where}.export`,
      `${describe(entry)} is a ${typeof exported}, not a factory; export a function (options, context) => ${where === 'task' ? 'Task' : where === 'model' ? 'Model' : 'Optimizer'} or a kind descriptor { kind, schema, create, describe }`,
    );
  }
  return exported as F;
}

type Kind = 'string' | 'number' | 'array' | 'map' | 'function';

function shapeProblems(value: unknown, fields: Record<string, Kind>): string[] {
  if (typeof value !== 'object' || value === null) return [`got ${value === null ? 'null' : typeof value}`];
  const v = value as Record<string, unknown>;
  const ok = (x: unknown, k: Kind) =>
    k === 'array' ? Array.isArray(x) : k === 'map' ? x instanceof Map : typeof x === k;
  return Object.entries(fields)
    .filter(([f, k]) => !ok(v[f], k))
    .map(
      ([f, k]) =>
        `${f} is ${v[f] === undefined ? 'missing' : typeof v[f]}, expected ${k === 'map' ? 'a Map' : k === 'array' ? 'an array' : `a ${k}`}`,
    );
}

/** The facts about a task that core and every probe rely on; a factory's task that breaks one is refused by name. */
function checkTask(task: Task, entry: ModuleRef): void {
  const problems = shapeProblems(task, {
    name: 'string',
    order: 'number',
    vocabSize: 'number',
    numClasses: 'number',
    equalsToken: 'number',
  });
  if (problems.length === 0) {
    const ex = task.examples as Partial<Task['examples']> | undefined;
    if (!ex || !(ex.a instanceof Int32Array) || !(ex.b instanceof Int32Array) || !(ex.label instanceof Int32Array))
      problems.push('examples must be { a, b, label } of Int32Array');
    else if (ex.a.length !== ex.label.length || ex.b.length !== ex.label.length || ex.label.length === 0)
      problems.push(
        `examples.a, .b and .label must have the same non-zero length (got ${ex.a.length}, ${ex.b.length}, ${ex.label.length})`,
      );
    else {
      const badLabel = ex.label.findIndex((y) => y < 0 || y >= task.numClasses);
      if (badLabel >= 0)
        problems.push(
          `examples.label[${badLabel}] is ${ex.label[badLabel]}, outside 0..numClasses−1 (${task.numClasses - 1})`,
        );
      const outside = (t: number) => t < 0 || t >= task.vocabSize;
      if (ex.a.some(outside) || ex.b.some(outside))
        problems.push(`an operand token is outside 0..vocabSize−1 (${task.vocabSize - 1})`);
    }
    if (!Array.isArray(task.elementLabels)) problems.push('elementLabels must be an array of strings');
  }
  if (problems.length > 0)
    throw new ConfigError(
      'task.export',
      `${describe(entry)} returned no usable Task: ${problems.join('; ')} (see core's Task interface)`,
    );
}
