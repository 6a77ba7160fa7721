export { createModel, type ModelSpec } from './createModel';
export { Mlp, type MlpConfig } from './mlp';
export { layerNorm, ParamSet } from './paramSet';
export { Transformer, type ModelShape, type TransformerConfig } from './transformer';
