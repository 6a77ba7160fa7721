export { cayleyTask, CayleyTableError, loadCayleyTable, validateCayleyTable, type CayleyTable } from './cayleyTable';
export { CYCLIC_OPS, cyclicTask, isPrime, type CyclicOp, type CyclicTaskOptions } from './cyclicGroup';
export { dihedralTask } from './dihedralGroup';
export { groupTask, operationTable, type GroupTaskInit } from './groupTask';
export { splitExamples } from './splitExamples';
export { compose, indexOfPermutation, permutationAt, symmetricTask } from './symmetricGroup';
export { taskFromSpec, type TaskSpec } from './taskFromSpec';
