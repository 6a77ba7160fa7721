import { z } from 'zod';

const positiveInt = z.number().int().positive();

/**
 * The config of each built-in model kind with its bounds and defaults, one object per kind.
 * This package owns its models, so it owns this schema; the CLI composes it into the run config
 * and restates nothing (docs/architecture.md § Who owns which fact). `createModel` builds what it parses.
 */
export const modelConfigSchema = z.discriminatedUnion('kind', [
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

export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** `transformer d64, 4 heads, 1 layer`, `MLP [256]`: how progress lines and charts name a built-in model. */
export function describeModelConfig(m: ModelConfig): string {
  return m.kind === 'transformer' ? `transformer d${m.dModel}, ${m.heads} heads, ${m.layers} layer${m.layers > 1 ? 's' : ''}` : `MLP [${m.hidden.join(', ')}]`;
}
