import { KindRegistry, parseConfig } from '@grokscope/base';
import type { Model } from '@grokscope/core';
import { z } from 'zod';
import { mlpKind } from './kinds/mlpKind';
import { transformerKind } from './kinds/transformerKind';
import type { ModelKindDescriptor, ModelMemory } from './modelKind';
import type { ModelShape } from './transformer';

/** Every model kind by name: the built-ins below, then whatever a team registers (or a `{ module }` entry exports). */
export const modelKinds = new KindRegistry<ModelKindDescriptor>('model');

/**
 * The project's own model kinds, registered like anyone's: a new built-in kind is one file in `kinds/` and one line
 * here.
 */
export const BUILT_IN_MODEL_KINDS = [transformerKind, mlpKind] as const;
for (const kind of BUILT_IN_MODEL_KINDS) modelKinds.register(kind as ModelKindDescriptor);

type Schemas<T extends readonly { schema: unknown }[]> = { -readonly [K in keyof T]: T[K]['schema'] };

/** The config of a built-in model kind: the union of their schemas, which the CLI composes into the run config. */
export const modelConfigSchema = z.discriminatedUnion(
  'kind',
  BUILT_IN_MODEL_KINDS.map((d) => d.schema) as Schemas<typeof BUILT_IN_MODEL_KINDS>,
);

/**
 * A built-in model's config as parsed (every default filled in); `z.input<typeof modelConfigSchema>` is what may be
 * written.
 */
export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** A model's config as written: its kind and that kind's fields, any left out taking the schema's default. */
export type ModelConfigInput =
  | z.input<typeof modelConfigSchema>
  | { readonly kind: string; readonly [field: string]: unknown };

/**
 * The kind's descriptor and the config parsed by its schema (defaults filled in); a ConfigError naming the field if it
 * does not parse.
 */
function parsed(config: ModelConfigInput): { kind: ModelKindDescriptor; config: unknown } {
  const kind = modelKinds.get(config.kind);
  return { kind, config: parseConfig(kind.schema, config, 'model') };
}

/** A model of any registered kind from a plain config object (what presets and config files hold). */
export function createModel(shape: ModelShape, config: ModelConfigInput, seed: number): Model {
  const p = parsed(config);
  return p.kind.create(shape, p.config, seed);
}

/** `transformer d64, 4 heads, 1 layer`, `MLP [256]`: how progress lines and charts name a model. */
export function describeModelConfig(config: ModelConfigInput): string {
  const p = parsed(config);
  return p.kind.describe(p.config);
}

/**
 * The parameters and per-row activations of a model config on a task of this shape; null if its kind gives no
 * estimate.
 */
export function modelMemory(shape: ModelShape, config: ModelConfigInput): ModelMemory | null {
  const p = parsed(config);
  return p.kind.memory?.(shape, p.config) ?? null;
}

/** Trainable parameters of a model config on a task of this shape (what the model's constructor allocates). */
export function parameterCount(shape: ModelShape, config: ModelConfigInput): number {
  const memory = modelMemory(shape, config);
  if (memory === null) throw new Error(`the model kind "${config.kind}" gives no memory estimate`);
  return memory.parameters;
}
