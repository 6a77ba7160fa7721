import type { ModelSpec } from './createModel';
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
 * How many tensors of each width are alive at the peak of one training step and of one
 * evaluation, per example row. Measured, not guessed: tf.profile's byte count (the same on the
 * cpu and wasm backends) over one step and one evaluation of the trainer, for small configs
 * varying one width at a time (d_model, d_mlp, |G|, heads, layers, LayerNorm; see
 * docs/limits.md), rounded up. A training step keeps every forward intermediate for the
 * backward pass and adds the gradients; the loss works on [rows, classes] tensors several times
 * (logits, the one-hot mask products, logsumexp) — that is the largest term for large groups.
 */
const COUNTS = {
  factorised: {
    // Attention at `=` from [V, ·] tables gathered per row: no [n, 3, d] activations.
    train: { d: 35, dLayerNorm: 36, mlp: 6, classes: 21, heads: 30, extra: 40 },
    eval: { d: 16, dLayerNorm: 8, mlp: 3, classes: 3, heads: 15, extra: 0 },
  },
  /** Per layer (the last layer's MLP runs at the last position only). */
  full: {
    train: { d: 140, dLayerNorm: 96, mlp: 6, mlpEarlier: 18, classes: 22, attn: 9, extra: 30 },
    eval: { d: 66, dLayerNorm: 22, mlp: 3, mlpEarlier: 9, classes: 3, attn: 4, extra: 10 },
  },
  mlp: {
    train: { embed: 10, hidden: 6, classes: 24 },
    eval: { embed: 4, hidden: 3, classes: 4 },
  },
} as const;

/** Trainable parameters of a model spec on a task of this shape (what the model's constructor allocates). */
export function parameterCount(shape: ModelShape, spec: ModelSpec): number {
  if (spec.kind === 'mlp') {
    const dE = spec.dEmbed ?? 128;
    const hidden = spec.hidden ?? [512];
    let n = shape.vocabSize * dE;
    let fanIn = 2 * dE;
    for (const h of hidden) {
      n += fanIn * h + h;
      fanIn = h;
    }
    return n + fanIn * shape.numClasses + shape.numClasses;
  }
  const d = spec.dModel ?? 128;
  const m = spec.dMlp ?? 512;
  const layers = spec.layers ?? 1;
  const ln = spec.layerNorm ?? false;
  const perLayer = 4 * d * d + d * m + m + m * d + d + (ln ? 4 * d : 0);
  return shape.vocabSize * d + 3 * d + layers * perLayer + (ln ? 2 * d : 0) + d * shape.numClasses;
}

/**
 * The tensor memory a run of `spec` on a task of `shape` needs at its peak, computed from shapes
 * alone (nothing is allocated): count × rows × width × 4 bytes for each large tensor of
 * - resident: parameters, their gradients and the optimiser's two moments; the train split's
 *   one-hot labels [trainPairs, classes] and its index vectors;
 * - prepare: the int32 one-hot made while building that mask;
 * - train: one step over `batchSize` rows (full batch: the whole train split): logits and the
 *   loss's [rows, classes] tensors, MLP hidden [rows, d_mlp], residuals [rows, d_model], each
 *   forward tensor kept for the backward pass plus its gradient;
 * - eval: one forward over all `pairs` (probes read every pair's representation in one piece).
 * Built-in probes are covered; a plugin that taps more layers adds its own tensors.
 */
export function estimateMemory(shape: ModelShape, spec: ModelSpec, sizes: MemorySizes): MemoryEstimate {
  const C = shape.numClasses;
  const { pairs, trainPairs } = sizes;
  const batched = sizes.batchSize != null && sizes.batchSize < trainPairs;
  const stepRows = batched ? sizes.batchSize! : trainPairs;
  const terms: MemoryTerm[] = [];
  const add = (phase: MemoryTerm['phase'], what: string, count: number, rows: number, width: number) => {
    if (count > 0 && rows > 0 && width > 0) terms.push({ phase, what, count, rows, width, bytes: count * rows * width * F32 });
  };
  const parameters = parameterCount(shape, spec);
  add('resident', 'parameters, gradients, AdamW moments', 4, 1, parameters);
  add('resident', 'train split one-hot labels [train pairs, classes]', 1, trainPairs, C);
  add('resident', 'train split a, b, labels (int32)', 3, trainPairs, 1);
  add('prepare', 'int32 one-hot while building the mask [train pairs, classes]', 1, trainPairs, C);
  if (batched) add('train', 'batch gathers of a, b, labels, mask', 1, stepRows, C + 3);

  if (spec.kind === 'mlp') {
    const dE = spec.dEmbed ?? 128;
    const hidden = spec.hidden ?? [512];
    for (const [phase, rows, k] of [
      ['train', stepRows, COUNTS.mlp.train],
      ['eval', pairs, COUNTS.mlp.eval],
    ] as const) {
      add(phase, `logits and loss [rows, classes]`, k.classes, rows, C);
      add(phase, 'embeddings of a and b [rows, d_embed]', k.embed, rows, dE);
      hidden.forEach((h, i) => add(phase, `hidden layer ${i + 1} [rows, ${h}]`, k.hidden, rows, h));
    }
  } else {
    const d = spec.dModel ?? 128;
    const m = spec.dMlp ?? 512;
    const H = spec.heads ?? 4;
    const layers = spec.layers ?? 1;
    const ln = spec.layerNorm ?? false;
    const factorised = (spec.factorised ?? true) && layers === 1;
    for (const [phase, rows] of [
      ['train', stepRows],
      ['eval', pairs],
    ] as const) {
      if (factorised) {
        const k = COUNTS.factorised[phase];
        add(phase, 'logits and loss [rows, classes]', k.classes, rows, C);
        add(phase, 'residuals and attention values [rows, d_model]', k.d + (ln ? k.dLayerNorm : 0), rows, d);
        add(phase, 'MLP hidden [rows, d_mlp]', k.mlp, rows, m);
        add(phase, 'attention scores [rows, heads]', k.heads, rows, H);
        add(phase, 'per-row scalars', 1, rows, k.extra);
      } else {
        const k = COUNTS.full[phase];
        add(phase, 'logits and loss [rows, classes]', k.classes, rows, C);
        add(phase, 'activations [rows, d_model], 3 positions per layer', layers * (k.d + (ln ? k.dLayerNorm : 0)), rows, d);
        add(phase, 'MLP hidden [rows, d_mlp] (3 positions below the last layer)', k.mlp + k.mlpEarlier * (layers - 1), rows, m);
        add(phase, 'attention weights [rows, heads, 3, 3]', k.attn * layers, rows, 9 * H);
        add(phase, 'per-row scalars', 1, rows, k.extra);
      }
    }
  }
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
    largestTensor: { what: biggest.what, elements: biggest.rows * biggest.width, bytes: biggest.rows * biggest.width * F32 },
    parameters,
    terms,
  };
}
