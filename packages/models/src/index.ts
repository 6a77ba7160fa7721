export { estimateMemory, type MemoryEstimate, type MemorySizes, type MemoryTerm } from './estimateMemory';
export { mlpKind } from './kinds/mlpKind';
export { transformerKind } from './kinds/transformerKind';
export { Mlp, mlpSchema, type MlpConfig } from './mlp';
export { defineModelKind, type ModelKindDescriptor, type ModelMemory, type RowTensors } from './modelKind';
export {
  BUILT_IN_MODEL_KINDS,
  createModel,
  describeModelConfig,
  modelConfigSchema,
  modelKinds,
  modelMemory,
  parameterCount,
  type ModelConfig,
  type ModelConfigInput,
} from './modelKinds';
export { layerNorm, ParamSet } from './paramSet';
export { Transformer, transformerSchema, type ModelShape, type TransformerConfig } from './transformer';
