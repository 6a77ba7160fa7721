import { Mlp, mlpSchema } from '../mlp';
import { defineModelKind, type RowTensors } from '../modelKind';

/**
 * Tensors alive per row at the peak of a training step and of an evaluation (measured as the Transformer's;
 * docs/limits.md).
 */
const COUNTS = {
  train: { embed: 10, hidden: 6, classes: 24 },
  eval: { embed: 4, hidden: 3, classes: 4 },
} as const;

/** The MLP control (`Mlp`): embeddings of a and b concatenated → ReLU hidden layer(s) → logits. */
export const mlpKind = defineModelKind({
  kind: 'mlp',
  schema: mlpSchema,
  create: (shape, c, seed) => new Mlp(shape, c, seed),
  describe: (m) => `MLP [${m.hidden.join(', ')}]`,
  memory: (shape, c) => {
    const C = shape.numClasses;
    let parameters = shape.vocabSize * c.dEmbed;
    let fanIn = 2 * c.dEmbed;
    for (const h of c.hidden) {
      parameters += fanIn * h + h;
      fanIn = h;
    }
    parameters += fanIn * C + C;
    const perRow = (phase: 'train' | 'eval'): RowTensors[] => {
      const k = COUNTS[phase];
      return [
        { what: 'logits and loss [rows, classes]', count: k.classes, width: C },
        { what: 'embeddings of a and b [rows, d_embed]', count: k.embed, width: c.dEmbed },
        ...c.hidden.map((h, i) => ({ what: `hidden layer ${i + 1} [rows, ${h}]`, count: k.hidden, width: h })),
      ];
    };
    return { parameters, perRow: { train: perRow('train'), eval: perRow('eval') } };
  },
  shrink: (c, fits, at) => {
    for (let k = 1; k <= 5; k++) {
      const f = 2 ** k;
      const dEmbed = Math.max(1, Math.floor(c.dEmbed / f));
      const hidden = c.hidden.map((h) => Math.max(1, Math.floor(h / f)));
      if (fits({ ...c, dEmbed, hidden })) return `${at}.dEmbed ${dEmbed} and ${at}.hidden [${hidden.join(', ')}]`;
    }
    return null;
  },
});
