import * as os from 'node:os';
import { largestInteger } from '@grokscope/base';
import { backendMemoryLimit, type BackendMemoryLimit, ConfigError, NATIVE_BACKEND } from '@grokscope/core';
import { estimateMemory, type MemoryEstimate } from '@grokscope/models';
import type { TaskSize } from '@grokscope/tasks';
import type { RunConfig } from './configSchema';
import { modelKindOf, taskKindOf } from './kinds';

/**
 * The size of the task a config asks for, from its kind's `size`; null when the kind cannot tell
 * it before the task is built (a module exporting a plain factory, a kind without `size`).
 */
export function taskSize(task: RunConfig['task'], baseDir = process.cwd()): TaskSize | null {
  const kind = taskKindOf(task, baseDir);
  return kind?.descriptor.size?.(kind.config, { baseDir }) ?? null;
}

export interface MemoryCheck {
  readonly task: TaskSize;
  readonly trainPairs: number;
  readonly estimate: MemoryEstimate;
  readonly limit: BackendMemoryLimit;
  /** Bytes the whole process needs with its shard workers: the run's peak plus each helper's (`workerBytes`). */
  readonly processBytes: number;
}

/**
 * What one shard worker thread costs before its tensors: its V8 isolate, TensorFlow.js and the
 * wasm module. Measured on the 2-core Linux machine (`node bench/throughput.js`'s peak RSS column:
 * each extra worker adds 63–95 MB for the quick and paper models, tensors included).
 */
export const SHARD_WORKER_BASE_BYTES = 64e6;

/**
 * One shard worker's memory: the fixed cost, a replica of the parameters and their gradients, the
 * training split's labels and indices (resident, less the optimiser's moments, which only the
 * trainer's thread keeps), and one of its shards' training step at a time.
 */
export function workerBytes(e: MemoryEstimate, shards: number): number {
  const moments = 2 * e.parameters * 4;
  return SHARD_WORKER_BASE_BYTES + (e.resident - moments) + Math.ceil(e.train / shards);
}

/**
 * Estimates the tensor memory a config needs at its peak (the model kind's `memory`, put through
 * models' `estimateMemory`) and refuses one that cannot fit the chosen backend (core's
 * `backendMemoryLimit`) with a ConfigError that states the estimate, the limit and what to change
 * (each kind's own `shrink` advice), before anything is allocated. Every kind, built-in or a
 * module's, is judged the same way. Returns the check, or null when the task's size or the
 * model's memory cannot be told before they are built.
 */
export function checkMemory(
  config: RunConfig,
  baseDir = process.cwd(),
  totalMemory = os.totalmem(),
  workers = 1,
): MemoryCheck | null {
  const taskKind = taskKindOf(config.task, baseDir);
  const modelKind = modelKindOf(config.model, baseDir);
  const sizeOf = taskKind?.descriptor.size;
  const memoryOf = modelKind?.descriptor.memory;
  if (!taskKind || !sizeOf || !modelKind || !memoryOf) return null;
  const context = { baseDir };
  const task = sizeOf(taskKind.config, context);
  if (task === null) return null;
  const limit = backendMemoryLimit(config.backend, totalMemory);
  const estimateFor = (
    t: TaskSize,
    fraction = config.task.trainFraction,
    model: unknown = modelKind.config,
    batchSize = config.train.batchSize,
  ) => {
    const shape = { vocabSize: t.order + 1, numClasses: t.order, equalsToken: t.order };
    return estimateMemory(shape, memoryOf(shape, model), {
      pairs: t.pairs,
      trainPairs: Math.round(fraction * t.pairs),
      batchSize,
    });
  };
  const fits = (e: MemoryEstimate) =>
    e.bytes <= limit.bytes && (limit.tensorElements === null || e.largestTensor.elements <= limit.tensorElements);
  const estimate = estimateFor(task);
  const shards = config.train.shards ?? 1;
  const helpers = Math.min(workers, shards) - 1;
  const processBytes = estimate.bytes + helpers * workerBytes(estimate, shards);
  const trainPairs = Math.round(config.task.trainFraction * task.pairs);
  const check = { task, trainPairs, estimate, limit, processBytes };
  if (fits(estimate)) {
    if (processBytes <= totalMemory) return check;
    // Each worker's replica fits its own heap; together they do not fit this machine.
    const each = workerBytes(estimate, shards);
    const most = Math.max(1, 1 + Math.floor((totalMemory - estimate.bytes) / each));
    throw new ConfigError(
      'workers',
      `${helpers + 1} workers need about ${bytes(processBytes)}: the run's ${bytes(estimate.bytes)} plus ${bytes(each)} for ` +
        `each of ${helpers} shard worker${helpers === 1 ? '' : 's'} (its own TensorFlow.js, a replica of the parameters, the training ` +
        `split and one shard's step), more than the ${bytes(totalMemory)} of RAM here; use --workers ${most} or fewer (the result is the same)`,
    );
  }

  const e = estimate;
  const over = e.bytes > limit.bytes;
  const peak =
    e.peakPhase === 'eval'
      ? `one evaluation over all ${n(task.pairs)} pairs`
      : e.peakPhase === 'train'
        ? `one training step over ${n(config.train.batchSize ?? check.trainPairs)} examples`
        : 'building the train split';
  const top = e.terms
    .filter((t) => t.phase === e.peakPhase || t.phase === 'resident')
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 2)
    .map((t) => `${t.what}: ${t.count} × ${n(t.rows)} × ${n(t.width)} × 4 B = ${bytes(t.bytes)}`);
  const what = `${task.name} (${n(task.order)} elements, ${n(task.pairs)} pairs) with ${modelKind.descriptor.describe(modelKind.config)}`;
  const problem = over
    ? `${what} needs about ${bytes(e.bytes)} of tensor memory at its peak (${peak}; ${top.join('; ')}), more than the ${config.backend} backend's limit of ${bytes(limit.bytes)}: ${limit.why}`
    : `${what} needs a tensor of ${n(e.largestTensor.elements)} elements (${e.largestTensor.what}), more than the ${config.backend} backend's limit of ${n(limit.tensorElements!)}: ${limit.why}`;

  const fixes: string[] = [];
  const taskFits = (smaller: unknown) => {
    const size = sizeOf(smaller, context);
    return size !== null && fits(estimateFor(size));
  };
  const largest = taskKind.descriptor.shrink?.(taskKind.config, taskFits, taskKind.at);
  if (largest) fixes.push(`lower ${largest}`);
  // Without the training step: what the evaluation over all pairs needs whatever the batch.
  const evalAlone =
    e.resident -
    e.terms.filter((t) => t.phase === 'resident' && t.rows === check.trainPairs).reduce((a, t) => a + t.bytes, 0) +
    e.eval;
  const evalFits = evalAlone <= limit.bytes;
  if (evalFits && e.peakPhase !== 'eval') {
    const f = largestFraction((fr) => fits(estimateFor(task, fr)), config.task.trainFraction);
    if (f !== null)
      fixes.push(`lower task.trainFraction to ${f} or less (the training step and the one-hot labels scale with it)`);
    const full = check.trainPairs;
    if ((config.train.batchSize ?? full) >= full) {
      const b = largestInteger(1, full - 1, (x) =>
        fits(estimateFor(task, config.task.trainFraction, modelKind.config, x)),
      );
      if (b !== null)
        fixes.push(`set train.batchSize to ${n(b)} or less (minibatches instead of the study's full batch)`);
    }
  }
  const smaller = modelKind.descriptor.shrink?.(
    modelKind.config,
    (m: unknown) => fits(estimateFor(task, config.task.trainFraction, m)),
    modelKind.at,
  );
  if (smaller) fixes.push(`use a smaller model (e.g. ${smaller})`);
  if (config.backend !== NATIVE_BACKEND) {
    const native = backendMemoryLimit(NATIVE_BACKEND, totalMemory);
    if (e.bytes <= native.bytes)
      fixes.push(
        `use --backend ${NATIVE_BACKEND} (native TensorFlow, limited by the ${bytes(native.bytes)} of RAM here)`,
      );
  }
  if (fixes.length === 0) fixes.push('choose a smaller group: this one does not fit on this machine with any backend');
  const note = evalFits
    ? ''
    : ` task.trainFraction and train.batchSize cannot help: every evaluation runs the model over all ${n(task.pairs)} pairs at once, ${bytes(evalAlone)} by itself.`;
  throw new ConfigError(
    'memory',
    `${problem}. To fit: ${fixes.join('; ')}.${note} See docs/limits.md for the sizes each backend supports`,
  );
}

/** The largest train fraction (2 decimals, ≥ 0.05) below `current` that fits; null if none. */
function largestFraction(ok: (f: number) => boolean, current: number): number | null {
  const c = largestInteger(5, Math.ceil(current * 100) - 1, (x) => ok(x / 100));
  return c === null ? null : c / 100;
}

const n = (x: number) => x.toLocaleString('en-US');

/** Bytes in decimal units, 3 significant digits. */
export function bytes(x: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${x >= 100 || i === 0 ? Math.round(x) : x.toPrecision(3)} ${units[i]}`;
}
