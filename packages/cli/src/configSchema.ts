import { optimizerConfigSchema } from '@grokscope/core';
import { BACKENDS, DEFAULT_BACKEND, DEFAULT_THRESHOLDS } from '@grokscope/core/facts';
import { modelConfigSchema } from '@grokscope/models';
import { split, taskConfigSchema, trainFraction } from '@grokscope/tasks';
import { z } from 'zod';

/**
 * A probe or intervention: a built-in name (`"norms"`), `{ name, options }`, or
 * `{ module, export?, options }` naming a file or package whose export is a factory
 * `(options) => Plugin`.
 */
const pluginRef = z.union([
  z.string().min(1),
  z
    .strictObject({
      name: z.string().min(1).optional(),
      module: z.string().min(1).optional(),
      export: z.string().min(1).optional(),
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .refine((p) => (p.name === undefined) !== (p.module === undefined), {
      message: 'give exactly one of name (a built-in plugin) or module (a file or package exporting a plugin factory)',
    }),
]);

const positiveInt = z.number().int().positive();

/**
 * A task, model or optimiser of the team's own: `{ module, export?, options }` naming a file or
 * package whose export is a factory, as probes are given (docs/plugins.md § Tasks, models and
 * optimisers of your own). `extra` adds fields the CLI itself reads (a task's `trainFraction` and `split`).
 */
function moduleRef<E extends z.core.$ZodLooseShape>(extra: E) {
  return z.strictObject({
    module: z.string().min(1),
    export: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).default({}),
    ...extra,
  });
}

/**
 * A built-in (the owning package's schema) or a module. The module branch comes last: when a
 * value names a `module`, validateConfig explains that branch's problems, otherwise the built-in's.
 */
export const taskSchema = z.union([taskConfigSchema, moduleRef({ trainFraction, split })]);
export const modelSchema = z.union([modelConfigSchema, moduleRef({})]);
export const optimizerSchema = z.union([optimizerConfigSchema, moduleRef({})]);

/**
 * A run's complete configuration: what a preset, a config file and `--set` overrides merge
 * into, and what a run's manifest records. Unknown fields are errors (strict objects throughout).
 */
export const runConfigSchema = z.strictObject({
  /** A label for the run (presets set it; the default output folder is `runs/<name>-<seed>`). */
  name: z.string().min(1).optional(),
  /** The study condition this run belongs to (analysis groups runs by it). */
  condition: z.string().min(1).default('baseline'),
  seed: z.number().int().min(0).default(0),
  backend: z.enum(BACKENDS).default(DEFAULT_BACKEND),
  task: taskSchema,
  model: modelSchema,
  optimizer: optimizerSchema,
  train: z.strictObject({
    steps: positiveInt,
    evalEvery: positiveInt.default(100),
    /** Default: at every evaluation. */
    checkpointEvery: positiveInt.optional(),
    /** null: full batch (the study's setting). */
    batchSize: positiveInt.nullable().default(null),
    /**
     * Parts each step's batch is cut into, computed on as many workers as there are cores and summed
     * in order; omitted: 1. The same shards give bitwise the same run on any number of workers.
     */
    shards: positiveInt.optional(),
    /** End the run this many steps after it groks (status stopped) instead of at the cap; omitted: run to the cap. */
    stopAfterGrokked: z.number().int().min(0).optional(),
  }),
  probes: z.array(pluginRef).default(['accuracy', 'spectral-entropy', 'norms']),
  interventions: z.array(pluginRef).default([]),
  thresholds: z
    .strictObject({
      memorised: z.number().gt(0).lte(1).default(DEFAULT_THRESHOLDS.memorised),
      grokked: z.number().gt(0).lte(1).default(DEFAULT_THRESHOLDS.grokked),
      /** H̃* that train's summary measures t_cross against; omitted: the paper's 0.61 (analysis PAPER_THRESHOLD). */
      entropy: z.number().gt(0).lt(1).optional(),
    })
    .default({ ...DEFAULT_THRESHOLDS }),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type PluginRef = z.infer<typeof pluginRef>;
/** A `{ module, export?, options }` entry for a task, model or optimiser. */
export interface ModuleRef {
  readonly module: string;
  readonly export?: string;
  readonly options: Record<string, unknown>;
}

/** Whether a task, model or optimiser entry names a module rather than a built-in. */
export function isModuleRef<T extends object>(entry: T): entry is Extract<T, { module: string }> {
  return Object.hasOwn(entry, 'module');
}

/** The allowed values of each discriminator, for error messages. */
export const KINDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'task.kind': taskConfigSchema.options.map((o) => o.shape.kind.value),
  'model.kind': modelConfigSchema.options.map((o) => o.shape.kind.value),
});

/** The fields an object at `field` may have (for "unknown field" messages); task and model by kind, or a module entry's. */
export function allowedFields(field: string, kind: unknown, module = false): readonly string[] | undefined {
  const of = (o: { shape: object }) => Object.keys(o.shape);
  if (field === '(root)') return of(runConfigSchema);
  const sections: Record<string, z.ZodUnion> = { task: taskSchema, model: modelSchema, optimizer: optimizerSchema };
  if (module && Object.hasOwn(sections, field))
    return of(sections[field]!.options.at(-1) as unknown as { shape: object });
  if (field === 'optimizer') return of(optimizerConfigSchema.unwrap());
  if (field === 'task' || field === 'model') {
    const options = field === 'task' ? taskConfigSchema.options : modelConfigSchema.options;
    const match = (options as readonly { shape: { kind: { value: string } } }[]).find(
      (o) => o.shape.kind.value === kind,
    );
    return match ? of(match) : undefined;
  }
  const inner = (runConfigSchema.shape as Record<string, unknown>)[field];
  const unwrapped = (inner as { unwrap?: () => unknown } | undefined)?.unwrap?.() ?? inner;
  return unwrapped && typeof unwrapped === 'object' && 'shape' in unwrapped
    ? of(unwrapped as { shape: object })
    : undefined;
}
