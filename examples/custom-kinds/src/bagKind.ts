import * as tf from '@tensorflow/tfjs-core';
import type { Batch, ForwardRequest, ForwardResult, Model } from '@grokscope/core';
import { defineModelKind, type ModelShape, ParamSet } from '@grokscope/models';
import { z } from 'zod';

const NO_REQUEST: ForwardRequest = { taps: new Set(), transforms: new Map() };

/** The schema of a bag's config: the one place its default width is written. */
const bagSchema = z.strictObject({ kind: z.literal('bag'), width: z.number().int().positive().default(64) });

/**
 * A bag of embeddings: relu(E[a] + E[b] + bias) → logits. It cannot tell (a, b) from (b, a), so
 * it suits commutative tasks. Taps: `resid_final` [n, width], what the unembedding reads.
 */
class EmbeddingBag implements Model {
  readonly name = 'bag';
  readonly tapNames = ['resid_final'];
  readonly params: ReadonlyMap<string, tf.Variable>;
  readonly #equalsToken: number;
  readonly #width: number;

  constructor(shape: ModelShape, width: number, seed: number) {
    const ps = new ParamSet(seed, 'bag');
    ps.normal('embed', [shape.vocabSize, width], 1 / Math.sqrt(width));
    ps.zeros('bias', [width]);
    ps.normal('unembed', [width, shape.numClasses], 1 / Math.sqrt(width));
    this.params = ps.params;
    this.#equalsToken = shape.equalsToken;
    this.#width = width;
  }

  forward(batch: Batch, request: ForwardRequest = NO_REQUEST): ForwardResult {
    const w = (name: string) => this.params.get(name)!;
    let h = tf.relu(
      tf.add(tf.add(tf.gather(w('embed'), batch.a), tf.gather(w('embed'), batch.b)), w('bias')),
    ) as tf.Tensor2D;
    const f = request.transforms.get('resid_final');
    if (f) h = f(h);
    const taps = new Map<string, tf.Tensor2D>(request.taps.has('resid_final') ? [['resid_final', h]] : []);
    return { logits: tf.matMul(h, w('unembed')), taps };
  }

  elementEmbeddings(): tf.Tensor2D {
    return tf.slice(this.params.get('embed')!, [0, 0], [this.#equalsToken, this.#width]) as tf.Tensor2D;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/**
 * The bag as a model kind: its schema, how to build it, how progress lines name it, its memory
 * (for the memory check: parameters, and per example row the tensors a step and an evaluation
 * keep) and a smaller width when a run would not fit.
 */
export const bagKind = defineModelKind({
  kind: 'bag',
  schema: bagSchema,
  create: (shape, c, seed) => new EmbeddingBag(shape, c.width, seed),
  describe: (c) => `embedding bag, width ${c.width}`,
  memory: (shape, c) => ({
    parameters: shape.vocabSize * c.width + c.width + c.width * shape.numClasses,
    perRow: {
      // Two gathers, their sum, the bias add and the ReLU, each kept with its gradient; the loss's tensors.
      train: [
        { what: 'bag activations [rows, width]', count: 10, width: c.width },
        { what: 'logits and loss [rows, classes]', count: 24, width: shape.numClasses },
      ],
      eval: [
        { what: 'bag activations [rows, width]', count: 4, width: c.width },
        { what: 'logits [rows, classes]', count: 4, width: shape.numClasses },
      ],
    },
  }),
  shrink: (c, fits, at) => {
    for (let w = Math.floor(c.width / 2); w >= 1; w = Math.floor(w / 2))
      if (fits({ ...c, width: w })) return `${at}.width ${w}`;
    return null;
  },
});

export default bagKind;
