import * as tf from '@tensorflow/tfjs-core';
import { parseConfig } from '@grokscope/base';
import { z } from 'zod';
import { type Batch, type ForwardRequest, type ForwardResult, type Model } from '@grokscope/core';
import { ParamSet } from './paramSet';
import type { ModelShape } from './transformer';

/** An MLP's config, with its bounds and defaults: the one place they are written. */
export const mlpSchema = z.strictObject({
  kind: z.literal('mlp'),
  /** Width of each operand's embedding. */
  dEmbed: z.number().int().positive().default(128),
  /** Widths of the ReLU hidden layers. */
  hidden: z.array(z.number().int().positive()).min(1).default([512]),
});

/** What an MLP may be given: any field left out takes the schema's default. */
export type MlpConfig = Omit<z.input<typeof mlpSchema>, 'kind'>;

const NO_REQUEST: ForwardRequest = { taps: new Set(), transforms: new Map() };

/**
 * The MLP control: embeddings of a and b concatenated → ReLU hidden layer(s) → logits.
 * Taps: `embed` [n, 2·dEmbed], `blocks.<i>.mlp_hidden` per hidden layer i, and `mlp_hidden` and
 * `resid_final` (both the last hidden layer, the vector the output layer reads). Every tap is transformable.
 */
export class Mlp implements Model {
  readonly name = 'mlp';
  readonly tapNames: readonly string[];
  readonly params: ReadonlyMap<string, tf.Variable>;
  readonly config: { dEmbed: number; hidden: readonly number[] };
  readonly shape: ModelShape;
  #p: Map<string, tf.Variable>;

  constructor(shape: ModelShape, config: MlpConfig, seed: number) {
    const parsed = parseConfig(mlpSchema, { ...config, kind: 'mlp' }, 'model');
    const c = { dEmbed: parsed.dEmbed, hidden: parsed.hidden };
    this.config = c;
    this.shape = shape;
    this.tapNames = Object.freeze([
      'embed',
      'mlp_hidden',
      'resid_final',
      ...c.hidden.map((_, i) => `blocks.${i}.mlp_hidden`),
    ]);
    const ps = new ParamSet(seed, 'mlp');
    ps.normal('embed', [shape.vocabSize, c.dEmbed], 1 / Math.sqrt(c.dEmbed));
    let fanIn = 2 * c.dEmbed;
    c.hidden.forEach((h, i) => {
      ps.normal(`hidden${i}.w`, [fanIn, h], 1 / Math.sqrt(fanIn));
      ps.zeros(`hidden${i}.b`, [h]);
      fanIn = h;
    });
    ps.normal('out.w', [fanIn, shape.numClasses], 1 / Math.sqrt(fanIn));
    ps.zeros('out.b', [shape.numClasses]);
    this.#p = ps.params;
    this.params = ps.params;
  }

  forward(batch: Batch, request: ForwardRequest = NO_REQUEST): ForwardResult {
    const taps = new Map<string, tf.Tensor2D>();
    // One tensor may have several names (`blocks.<last>.mlp_hidden`, `mlp_hidden`, `resid_final`): each transform named applies once, in that order.
    const tap = (name: string, t: tf.Tensor2D) => {
      const f = request.transforms.get(name);
      const out = f ? f(t) : t;
      if (request.taps.has(name)) taps.set(name, out);
      return out;
    };
    const e = this.#p.get('embed')!;
    let x = tap('embed', tf.concat([tf.gather(e, batch.a), tf.gather(e, batch.b)], 1) as tf.Tensor2D);
    const last = this.config.hidden.length - 1;
    this.config.hidden.forEach((_, i) => {
      x = tf.relu(tf.add(tf.matMul(x, this.#p.get(`hidden${i}.w`)!), this.#p.get(`hidden${i}.b`)!)) as tf.Tensor2D;
      x = tap(`blocks.${i}.mlp_hidden`, x);
      if (i === last) {
        x = tap('mlp_hidden', x);
        x = tap('resid_final', x);
      }
    });
    const logits = tf.add(tf.matMul(x, this.#p.get('out.w')!), this.#p.get('out.b')!) as tf.Tensor2D;
    return { logits, taps };
  }

  elementEmbeddings(): tf.Tensor2D {
    return tf.slice(this.#p.get('embed')!, [0, 0], [this.shape.equalsToken, this.config.dEmbed]) as tf.Tensor2D;
  }

  dispose(): void {
    for (const v of this.#p.values()) v.dispose();
  }
}
