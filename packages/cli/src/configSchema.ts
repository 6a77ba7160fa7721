import { CYCLIC_OPS } from '@grokscope/tasks';
import { z } from 'zod';

const pluginRef = z.union([
  z.string().min(1),
  z.strictObject({
    name: z.string().min(1).optional(),
    module: z.string().min(1).optional(),
    export: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  }),
]);

const positiveInt = z.number().int().positive();

/** A run's complete configuration. Unknown fields are errors (strict objects throughout). */
export const runConfigSchema = z.strictObject({
  name: z.string().optional(),
  condition: z.string().min(1).default('baseline'),
  seed: z.number().int().min(0).default(0),
  backend: z.enum(['wasm', 'cpu', 'tensorflow']).default('wasm'),
  task: z.strictObject({
    kind: z.enum(['cyclic', 'symmetric', 'dihedral', 'cayley']),
    modulus: z.number().int().min(3).optional(),
    op: z.enum(CYCLIC_OPS as [string, ...string[]]).optional(),
    n: z.number().int().min(2).optional(),
    path: z.string().optional(),
    trainFraction: z.number().gt(0).lt(1).default(0.3),
  }),
  model: z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('transformer'),
      dModel: positiveInt.default(128),
      heads: positiveInt.default(4),
      dMlp: positiveInt.default(512),
      layers: positiveInt.default(1),
      layerNorm: z.boolean().default(false),
    }),
    z.strictObject({ kind: z.literal('mlp'), dEmbed: positiveInt.default(128), hidden: z.array(positiveInt).min(1).default([512]) }),
  ]),
  optimizer: z
    .strictObject({
      name: z.enum(['adamw', 'adam', 'sgd']).default('adamw'),
      lr: z.number().positive().default(1e-3),
      beta1: z.number().min(0).lt(1).default(0.9),
      beta2: z.number().min(0).lt(1).default(0.98),
      eps: z.number().positive().default(1e-8),
      weightDecay: z.number().min(0).default(1),
      momentum: z.number().min(0).optional(),
    })
    .default({ name: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 1 }),
  train: z.strictObject({
    steps: positiveInt,
    evalEvery: positiveInt.default(100),
    checkpointEvery: positiveInt.optional(),
    batchSize: positiveInt.nullable().default(null),
  }),
  probes: z.array(pluginRef).default(['accuracy', 'spectral-entropy', 'norms']),
  interventions: z.array(pluginRef).default([]),
  thresholds: z.strictObject({ memorised: z.number().gt(0).lte(1).default(0.99), grokked: z.number().gt(0).lte(1).default(0.95) }).default({ memorised: 0.99, grokked: 0.95 }),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type PluginRef = z.infer<typeof pluginRef>;
