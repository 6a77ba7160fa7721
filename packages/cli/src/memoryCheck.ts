import * as os from 'node:os';
import { backendMemoryLimit, type BackendMemoryLimit, ConfigError, NATIVE_BACKEND } from '@grokscope/core';
import { estimateMemory, type MemoryEstimate, type ModelSpec } from '@grokscope/models';
import { isPrime, taskConfigSize, type TaskSize } from '@grokscope/tasks';
import { isModuleRef, type RunConfig } from './configSchema';

/**
 * The size of the task a config asks for (tasks' `taskConfigSize`); null for a team's own task
 * module, whose size is known once it is built.
 */
export function taskSize(task: RunConfig['task'], baseDir = process.cwd()): TaskSize | null {
  return isModuleRef(task) ? null : taskConfigSize(task, baseDir);
}

export interface MemoryCheck {
  readonly task: TaskSize;
  readonly trainPairs: number;
  readonly estimate: MemoryEstimate;
  readonly limit: BackendMemoryLimit;
}

/**
 * Estimates the tensor memory a config needs at its peak (models' `estimateMemory`) and refuses
 * one that cannot fit the chosen backend (core's `backendMemoryLimit`) with a ConfigError that
 * states the estimate, the limit and what to change, before anything is allocated. Returns the
 * check, or null when the task's size cannot be told before it is built.
 */
export function checkMemory(config: RunConfig, baseDir = process.cwd(), totalMemory = os.totalmem()): MemoryCheck | null {
  // A model of the team's own has no estimate here (models' `estimateMemory` knows the built-ins).
  if (isModuleRef(config.model)) return null;
  const task = taskSize(config.task, baseDir);
  if (task === null) return null;
  const limit = backendMemoryLimit(config.backend, totalMemory);
  const estimateFor = (t: TaskSize, fraction = config.task.trainFraction, model = config.model as ModelSpec, batchSize = config.train.batchSize) =>
    estimateMemory({ vocabSize: t.order + 1, numClasses: t.order, equalsToken: t.order }, model, { pairs: t.pairs, trainPairs: Math.round(fraction * t.pairs), batchSize });
  const fits = (e: MemoryEstimate) => e.bytes <= limit.bytes && (limit.tensorElements === null || e.largestTensor.elements <= limit.tensorElements);
  const estimate = estimateFor(task);
  const check = { task, trainPairs: Math.round(config.task.trainFraction * task.pairs), estimate, limit };
  if (fits(estimate)) return check;

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
  const what = `${task.name} (${n(task.order)} elements, ${n(task.pairs)} pairs) with ${describeModel(config.model as ModelSpec)}`;
  const problem = over
    ? `${what} needs about ${bytes(e.bytes)} of tensor memory at its peak (${peak}; ${top.join('; ')}), more than the ${config.backend} backend's limit of ${bytes(limit.bytes)}: ${limit.why}`
    : `${what} needs a tensor of ${n(e.largestTensor.elements)} elements (${e.largestTensor.what}), more than the ${config.backend} backend's limit of ${n(limit.tensorElements!)}: ${limit.why}`;

  const fixes: string[] = [];
  const largest = largestFittingTask(config.task, (t) => fits(estimateFor(t)));
  if (largest) fixes.push(`lower ${largest}`);
  // Without the training step: what the evaluation over all pairs needs whatever the batch.
  const evalAlone = e.resident - e.terms.filter((t) => t.phase === 'resident' && t.rows === check.trainPairs).reduce((a, t) => a + t.bytes, 0) + e.eval;
  const evalFits = evalAlone <= limit.bytes;
  if (evalFits && e.peakPhase !== 'eval') {
    const f = largestFraction((fr) => fits(estimateFor(task, fr)), config.task.trainFraction);
    if (f !== null) fixes.push(`lower task.trainFraction to ${f} or less (the training step and the one-hot labels scale with it)`);
    const full = check.trainPairs;
    if ((config.train.batchSize ?? full) >= full) {
      const b = largestInt(1, full - 1, (x) => fits(estimateFor(task, config.task.trainFraction, config.model as ModelSpec, x)));
      if (b !== null) fixes.push(`set train.batchSize to ${n(b)} or less (minibatches instead of the study's full batch)`);
    }
  }
  const smaller = smallerModel(config.model as ModelSpec, (m) => fits(estimateFor(task, config.task.trainFraction, m)));
  if (smaller) fixes.push(`use a smaller model (${smaller})`);
  if (config.backend !== NATIVE_BACKEND) {
    const native = backendMemoryLimit(NATIVE_BACKEND, totalMemory);
    if (e.bytes <= native.bytes) fixes.push(`use --backend ${NATIVE_BACKEND} (native TensorFlow, limited by the ${bytes(native.bytes)} of RAM here)`);
  }
  if (fixes.length === 0) fixes.push('choose a smaller group: this one does not fit on this machine with any backend');
  const note = evalFits
    ? ''
    : ` task.trainFraction and train.batchSize cannot help: every evaluation runs the model over all ${n(task.pairs)} pairs at once, ${bytes(evalAlone)} by itself.`;
  throw new ConfigError('memory', `${problem}. To fit: ${fixes.join('; ')}.${note} See docs/limits.md for the sizes each backend supports`);
}

/** `task.modulus to 421 or less` etc.: the largest task of the same kind that fits; null if none does or the kind has no size knob. */
function largestFittingTask(task: RunConfig['task'], fits: (t: TaskSize) => boolean): string | null {
  if (isModuleRef(task)) return null;
  if (task.kind === 'cyclic') {
    const size = (p: number) => taskSize({ ...task, modulus: p });
    let p = largestInt(3, task.modulus - 1, (x) => fits(sizeOrPrimeBelow(x, size)));
    while (p !== null && p >= 3 && !isPrime(p)) p--;
    return p !== null && p >= 3 ? `task.modulus to ${p} or less (a prime)` : null;
  }
  if (task.kind === 'symmetric' || task.kind === 'dihedral') {
    const min = task.kind === 'symmetric' ? 2 : 3;
    const nn = largestInt(min, task.n - 1, (x) => fits(taskSize({ ...task, n: x })!));
    return nn === null ? null : `task.n to ${nn} or less`;
  }
  return null;
}

/** For monotone search over integers: the size of p, or of the largest prime below it. */
function sizeOrPrimeBelow(p: number, size: (p: number) => TaskSize | null): TaskSize {
  for (let q = p; q >= 2; q--) {
    const s = size(q);
    if (s) return s;
  }
  return { name: '', order: 1, pairs: 1 };
}

/** The largest integer in [lo, hi] where `ok` holds, for `ok` true up to some point and false after; null if none. */
function largestInt(lo: number, hi: number, ok: (x: number) => boolean): number | null {
  if (hi < lo || !ok(lo)) return null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The largest train fraction (2 decimals, ≥ 0.05) below `current` that fits; null if none. */
function largestFraction(ok: (f: number) => boolean, current: number): number | null {
  const c = largestInt(5, Math.ceil(current * 100) - 1, (x) => ok(x / 100));
  return c === null ? null : c / 100;
}

/** Halves the model's widths until it fits (at most 5 times); describes the first that does. */
function smallerModel(spec: ModelSpec, ok: (m: ModelSpec) => boolean): string | null {
  for (let k = 1; k <= 5; k++) {
    const f = 2 ** k;
    if (spec.kind === 'mlp') {
      const dEmbed = Math.max(1, Math.floor((spec.dEmbed ?? 128) / f));
      const hidden = (spec.hidden ?? [512]).map((h) => Math.max(1, Math.floor(h / f)));
      if (ok({ ...spec, dEmbed, hidden })) return `e.g. model.dEmbed ${dEmbed} and model.hidden [${hidden.join(', ')}]`;
    } else {
      const heads = spec.heads ?? 4;
      const dModel = Math.max(heads, Math.floor((spec.dModel ?? 128) / f / heads) * heads);
      const dMlp = Math.max(1, Math.floor((spec.dMlp ?? 512) / f));
      if (ok({ ...spec, dModel, dMlp })) return `e.g. model.dModel ${dModel} and model.dMlp ${dMlp}`;
    }
  }
  return null;
}

function describeModel(spec: ModelSpec): string {
  if (spec.kind === 'mlp') return `an MLP (d_embed ${spec.dEmbed ?? 128}, hidden [${(spec.hidden ?? [512]).join(', ')}])`;
  return `a transformer (d_model ${spec.dModel ?? 128}, d_mlp ${spec.dMlp ?? 512}, ${spec.layers ?? 1} layer${(spec.layers ?? 1) === 1 ? '' : 's'})`;
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
