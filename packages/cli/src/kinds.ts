import { isKindDescriptor, type KindDescriptor, type KindRegistry, parseConfig } from '@grokscope/base';
import { optimizerKinds, type OptimizerKindDescriptor } from '@grokscope/core';
import { modelKinds, type ModelKindDescriptor } from '@grokscope/models';
import { taskKinds, type TaskKindDescriptor } from '@grokscope/tasks';
import { isModuleRef, type ModuleRef, type RunConfig } from './configSchema';
import { loadExport } from './loadExport';

/** A config entry's kind and its config as that kind's schema parsed it. */
export interface KindEntry<D extends KindDescriptor> {
  readonly descriptor: D;
  /** The config as the kind's schema parsed it; its type is the descriptor's own. */
  readonly config: unknown;
  /** Where the kind's fields sit in the run config, for messages: `task`, or `task.options` for a module entry. */
  readonly at: string;
}

/**
 * The kind a task, model or optimiser entry names, on one road for every kind: a built-in `{ kind, … }` is
 * looked up in its family's registry (the run config's schema has already parsed it); a
 * `{ module }` entry whose export is a kind descriptor registers it in the same registry and has
 * its options parsed by the kind's schema. Null for a module exporting a plain factory, which
 * tells nothing but what it builds.
 */
function kindOf<D extends KindDescriptor>(
  registry: KindRegistry<D>,
  entry: object,
  baseDir: string,
): KindEntry<D> | null {
  const where = registry.family;
  if (!isModuleRef(entry)) {
    const config = entry as Record<string, unknown>;
    return { descriptor: registry.get(config[registry.key]), config, at: where };
  }
  const ref = entry as ModuleRef;
  const exported = loadExport(ref.module, ref.export ?? 'default', where, baseDir);
  if (!isKindDescriptor(exported)) return null;
  const descriptor = registry.register(exported as D);
  const config = parseConfig(
    descriptor.schema,
    { ...ref.options, [registry.key]: descriptor.kind },
    `${where}.options`,
  );
  return { descriptor, config, at: `${where}.options` };
}

export function taskKindOf(entry: RunConfig['task'], baseDir: string): KindEntry<TaskKindDescriptor> | null {
  return kindOf(taskKinds, entry, baseDir);
}

export function modelKindOf(entry: RunConfig['model'], baseDir: string): KindEntry<ModelKindDescriptor> | null {
  return kindOf(modelKinds, entry, baseDir);
}

/**
 * An optimiser entry's kind; null for a built-in's config (core builds it by `name`) or a module exporting a plain
 * factory.
 */
export function optimizerKindOf(
  entry: RunConfig['optimizer'],
  baseDir: string,
): KindEntry<OptimizerKindDescriptor> | null {
  return isModuleRef(entry) ? kindOf(optimizerKinds, entry, baseDir) : null;
}
