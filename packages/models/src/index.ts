export { createModel, type ModelSpec } from './createModel';
export { estimateMemory, parameterCount, type MemoryEstimate, type MemorySizes, type MemoryTerm } from './estimateMemory';
export { Mlp, type MlpConfig } from './mlp';
export { layerNorm, ParamSet } from './paramSet';
export { Transformer, type ModelShape, type TransformerConfig } from './transformer';
export { describeModelConfig, modelConfigSchema, type ModelConfig } from './modelConfigSchema';
