import { BACKENDS, DEFAULT_BACKEND, DEFAULT_OPTIMIZER, DEFAULT_THRESHOLDS, OPTIMIZERS } from '@grokscope/core/facts';
import { CYCLIC_OPS } from '@grokscope/tasks';
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
const trainFraction = z.number().gt(0).lt(1).default(0.3);

/** One object per task kind, so a field of another kind (`n` on a cyclic task) is an unknown field. */
export const taskSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cyclic'), modulus: z.number().int().min(3).default(97), op: z.enum(CYCLIC_OPS as [string, ...string[]]).default('add'), trainFraction }),
  z.strictObject({ kind: z.literal('symmetric'), n: z.number().int().min(2).max(7).default(5), trainFraction }),
  z.strictObject({ kind: z.literal('dihedral'), n: z.number().int().min(3).default(4), trainFraction }),
  z.strictObject({ kind: z.literal('cayley'), path: z.string().min(1), trainFraction }),
]);

export const modelSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('transformer'),
      dModel: positiveInt.default(128),
      heads: positiveInt.default(4),
      dMlp: positiveInt.default(512),
      layers: positiveInt.default(1),
      layerNorm: z.boolean().default(false),
      factorised: z.boolean().optional(),
    })
    .superRefine((m, ctx) => {
      if (m.dModel % m.heads !== 0) ctx.addIssue({ code: 'custom', path: ['heads'], message: `must divide model.dModel (${m.dModel})` });
    }),
  z.strictObject({ kind: z.literal('mlp'), dEmbed: positiveInt.default(128), hidden: z.array(positiveInt).min(1).default([512]) }),
]);

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
  optimizer: z
    .strictObject({
      name: z.enum(OPTIMIZERS).default(DEFAULT_OPTIMIZER.name),
      lr: z.number().positive().default(DEFAULT_OPTIMIZER.lr),
      beta1: z.number().min(0).lt(1).default(DEFAULT_OPTIMIZER.beta1),
      beta2: z.number().min(0).lt(1).default(DEFAULT_OPTIMIZER.beta2),
      eps: z.number().positive().default(DEFAULT_OPTIMIZER.eps),
      weightDecay: z.number().min(0).default(DEFAULT_OPTIMIZER.weightDecay),
      momentum: z.number().min(0).lt(1).optional(),
    })
    .default({ ...DEFAULT_OPTIMIZER }),
  train: z.strictObject({
    steps: positiveInt,
    evalEvery: positiveInt.default(100),
    /** Default: at every evaluation. */
    checkpointEvery: positiveInt.optional(),
    /** null: full batch (the study's setting). */
    batchSize: positiveInt.nullable().default(null),
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

/** The allowed values of each discriminator, for error messages. */
export const KINDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'task.kind': taskSchema.options.map((o) => o.shape.kind.value),
  'model.kind': modelSchema.options.map((o) => o.shape.kind.value),
});

/** The fields an object at `field` may have (for "unknown field" messages); task and model by kind. */
export function allowedFields(field: string, kind: unknown): readonly string[] | undefined {
  const of = (o: { shape: object }) => Object.keys(o.shape);
  if (field === '(root)') return of(runConfigSchema);
  if (field === 'task' || field === 'model') {
    const options = field === 'task' ? taskSchema.options : modelSchema.options;
    const match = (options as readonly { shape: { kind: { value: string } } }[]).find((o) => o.shape.kind.value === kind);
    return match ? of(match) : undefined;
  }
  const inner = (runConfigSchema.shape as Record<string, unknown>)[field];
  const unwrapped = (inner as { unwrap?: () => unknown } | undefined)?.unwrap?.() ?? inner;
  return unwrapped && typeof unwrapped === 'object' && 'shape' in unwrapped ? of(unwrapped as { shape: object }) : undefined;
}
