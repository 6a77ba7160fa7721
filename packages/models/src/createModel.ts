import { ConfigError, type Model } from '@grokscope/core';
import { Mlp, type MlpConfig } from './mlp';
import { Transformer, type ModelShape, type TransformerConfig } from './transformer';

export type ModelSpec = ({ readonly kind: 'transformer' } & TransformerConfig) | ({ readonly kind: 'mlp' } & MlpConfig);

/** A model from a plain config object (what presets and config files hold). */
export function createModel(shape: ModelShape, spec: ModelSpec, seed: number): Model {
  switch (spec.kind) {
    case 'transformer':
      return new Transformer(shape, spec, seed);
    case 'mlp':
      return new Mlp(shape, spec, seed);
    default:
      throw new ConfigError('model.kind', `unknown model "${(spec as { kind: string }).kind}"; choose transformer or mlp`);
  }
}
