import type { ModelMemory } from './modelKind';
import type { ModelShape } from './transformer';

/** How many examples a run puts through the model at once. */
export interface MemorySizes {
  /** Every (a, b) pair of the task: one evaluation runs the model over all of them in one piece. */
  readonly pairs: number;
  /** Pairs in the train split: kept on the device all run long (with their one-hot labels). */
  readonly trainPairs: number;
  /** Examples per training step (`train.batchSize`); null or ≥ trainPairs: the full train split. */
  readonly batchSize?: number | null;
}

/** One group of equal-shaped float32 tensors alive at the same time: count × rows × width × 4 bytes. */
export interface MemoryTerm {
  /** `resident`: all run long; `prepare`: building the train split; `train`: one step; `eval`: one evaluation. */
  readonly phase: 'resident' | 'prepare' | 'train' | 'eval';
  readonly what: string;
  readonly count: number;
  readonly rows: number;
  readonly width: number;
  readonly bytes: number;
}

export interface MemoryEstimate {
  /** Peak bytes of tensor memory: resident + the largest of prepare, one training step and one evaluation. */
  readonly bytes: number;
  readonly resident: number;
  readonly prepare: number;
  readonly train: number;
  readonly eval: number;
  /** The phase that sets the peak. */
  readonly peakPhase: 'prepare' | 'train' | 'eval';
  /** The largest single tensor (a backend may cap one tensor's length on its own). */
  readonly largestTensor: { readonly what: string; readonly elements: number; readonly bytes: number };
  readonly parameters: number;
  readonly terms: readonly MemoryTerm[];
}

const F32 = 4;

/**
 * The tensor memory a run of a model with `memory` (its kind's `memory(shape, config)`) on a task
 * of `shape` needs at its peak, computed from shapes alone (nothing is allocated): count × rows ×
 * width × 4 bytes for each large tensor of
 * - resident: parameters, their gradients and the optimiser's two moments; the train split's
 *   one-hot labels [trainPairs, classes] and its index vectors;
 * - prepare: the int32 one-hot made while building that mask;
 * - train: one step over `batchSize` rows (full batch: the whole train split): the model's
 *   per-row tensors of a training step;
 * - eval: one forward over all `pairs` (probes read every pair's representation in one piece).
 * Built-in probes are covered; a plugin that taps more layers adds its own tensors.
 */
export function estimateMemory(shape: ModelShape, memory: ModelMemory, sizes: MemorySizes): MemoryEstimate {
  const C = shape.numClasses;
  const { pairs, trainPairs } = sizes;
  const batched = sizes.batchSize != null && sizes.batchSize < trainPairs;
  const stepRows = batched ? sizes.batchSize! : trainPairs;
  const terms: MemoryTerm[] = [];
  const add = (phase: MemoryTerm['phase'], what: string, count: number, rows: number, width: number) => {
    if (count > 0 && rows > 0 && width > 0)
      terms.push({ phase, what, count, rows, width, bytes: count * rows * width * F32 });
  };
  const parameters = memory.parameters;
  add('resident', 'parameters, gradients, AdamW moments', 4, 1, parameters);
  add('resident', 'train split one-hot labels [train pairs, classes]', 1, trainPairs, C);
  add('resident', 'train split a, b, labels (int32)', 3, trainPairs, 1);
  add('prepare', 'int32 one-hot while building the mask [train pairs, classes]', 1, trainPairs, C);
  if (batched) add('train', 'batch gathers of a, b, labels, mask', 1, stepRows, C + 3);
  for (const t of memory.perRow.train) add('train', t.what, t.count, stepRows, t.width);
  for (const t of memory.perRow.eval) add('eval', t.what, t.count, pairs, t.width);
  const sum = (phase: MemoryTerm['phase']) => terms.filter((t) => t.phase === phase).reduce((s, t) => s + t.bytes, 0);
  const resident = sum('resident');
  const phases = { prepare: sum('prepare'), train: sum('train'), eval: sum('eval') };
  const peakPhase = (['eval', 'train', 'prepare'] as const).reduce((a, b) => (phases[b] > phases[a] ? b : a));
  const biggest = terms.reduce((a, t) => (t.rows * t.width > a.rows * a.width ? t : a));
  return {
    bytes: resident + phases[peakPhase],
    resident,
    ...phases,
    peakPhase,
    largestTensor: {
      what: biggest.what,
      elements: biggest.rows * biggest.width,
      bytes: biggest.rows * biggest.width * F32,
    },
    parameters,
    terms,
  };
}
