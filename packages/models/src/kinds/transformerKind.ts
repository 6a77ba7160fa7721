import { Transformer, transformerSchema } from '../transformer';
import { defineModelKind, type RowTensors } from '../modelKind';

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
} as const;

/** The study's Transformer (`Transformer`): the paper's 128-wide, 4-head, 512-MLP, 1-layer model by default. */
export const transformerKind = defineModelKind({
  kind: 'transformer',
  schema: transformerSchema,
  create: (shape, c, seed) => new Transformer(shape, c, seed),
  describe: (m) => `transformer d${m.dModel}, ${m.heads} heads, ${m.layers} layer${m.layers > 1 ? 's' : ''}`,
  memory: (shape, c) => {
    const { dModel: d, dMlp: m, heads: H, layers, layerNorm: ln } = c;
    const C = shape.numClasses;
    const perLayer = 4 * d * d + d * m + m + m * d + d + (ln ? 4 * d : 0);
    const parameters = shape.vocabSize * d + 3 * d + layers * perLayer + (ln ? 2 * d : 0) + d * C;
    const factorised = (c.factorised ?? true) && layers === 1;
    const perRow = (phase: 'train' | 'eval'): RowTensors[] => {
      if (factorised) {
        const k = COUNTS.factorised[phase];
        return [
          { what: 'logits and loss [rows, classes]', count: k.classes, width: C },
          { what: 'residuals and attention values [rows, d_model]', count: k.d + (ln ? k.dLayerNorm : 0), width: d },
          { what: 'MLP hidden [rows, d_mlp]', count: k.mlp, width: m },
          { what: 'attention scores [rows, heads]', count: k.heads, width: H },
          { what: 'per-row scalars', count: 1, width: k.extra },
        ];
      }
      const k = COUNTS.full[phase];
      return [
        { what: 'logits and loss [rows, classes]', count: k.classes, width: C },
        {
          what: 'activations [rows, d_model], 3 positions per layer',
          count: layers * (k.d + (ln ? k.dLayerNorm : 0)),
          width: d,
        },
        {
          what: 'MLP hidden [rows, d_mlp] (3 positions below the last layer)',
          count: k.mlp + k.mlpEarlier * (layers - 1),
          width: m,
        },
        { what: 'attention weights [rows, heads, 3, 3]', count: k.attn * layers, width: 9 * H },
        { what: 'per-row scalars', count: 1, width: k.extra },
      ];
    };
    return { parameters, perRow: { train: perRow('train'), eval: perRow('eval') } };
  },
  // Halves the widths until it fits (at most 5 times), keeping d_model a multiple of the heads.
  shrink: (c, fits, at) => {
    for (let k = 1; k <= 5; k++) {
      const f = 2 ** k;
      const dModel = Math.max(c.heads, Math.floor(c.dModel / f / c.heads) * c.heads);
      const dMlp = Math.max(1, Math.floor(c.dMlp / f));
      if (fits({ ...c, dModel, dMlp })) return `${at}.dModel ${dModel} and ${at}.dMlp ${dMlp}`;
    }
    return null;
  },
});
