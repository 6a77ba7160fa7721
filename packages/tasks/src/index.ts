export { cayleyTask, CayleyTableError, loadCayleyTable, validateCayleyTable, type CayleyTable, type CheckedGroup } from './cayleyTable';
export { CYCLIC_OPS, cyclicTask, isPrime, type CyclicOp, type CyclicTaskOptions } from './cyclicGroup';
export { describeTask, type TaskDescription } from './describeTask';
export { dihedralTask } from './dihedralGroup';
export { groupTask, MAX_EXAMPLES, operationTable, type GroupTaskInit } from './groupTask';
export { SPLIT_UNITS, splitExamples, splitTask, type SplitUnit } from './splitExamples';
export { compose, indexOfPermutation, permutationAt, symmetricTask } from './symmetricGroup';
export { TASK_KINDS, taskFromSpec, type TaskFromSpecOptions, type TaskKind, type TaskSpec } from './taskFromSpec';
export { describeTaskConfig, split, taskConfigSchema, trainFraction, type TaskConfig } from './taskConfigSchema';
