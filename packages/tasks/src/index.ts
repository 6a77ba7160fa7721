export {
  cayleyTask,
  CayleyTableError,
  loadCayleyTable,
  MAX_CAYLEY_BYTES,
  validateCayleyTable,
  type CayleyTable,
  type CheckedGroup,
} from './cayleyTable';
export { CYCLIC_OPS, cyclicTask, isPrime, type CyclicOp, type CyclicTaskOptions } from './cyclicGroup';
export { describeTask, type TaskDescription } from './describeTask';
export { dihedralTask } from './dihedralGroup';
export { groupTask, MAX_EXAMPLES, operationTable, type GroupTaskInit } from './groupTask';
export { cayleyKind } from './kinds/cayleyKind';
export { cyclicKind } from './kinds/cyclicKind';
export { dihedralKind } from './kinds/dihedralKind';
export { symmetricKind } from './kinds/symmetricKind';
export { SPLIT_UNITS, splitExamples, splitTask, type SplitUnit } from './splitExamples';
export { compose, indexOfPermutation, permutationAt, symmetricTask } from './symmetricGroup';
export { defineTaskKind, split, splitFields, trainFraction, type TaskKindDescriptor, type TaskSize } from './taskKind';
export {
  BUILT_IN_TASK_KINDS,
  describeTaskConfig,
  taskConfigSchema,
  taskConfigSize,
  taskFromSpec,
  taskKinds,
  type TaskConfig,
  type TaskConfigInput,
  type TaskFromSpecOptions,
} from './taskKinds';
