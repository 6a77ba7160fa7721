import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  Rng,
  type Batch,
  type ForwardRequest,
  type ForwardResult,
  type Model,
  type ModelContext,
} from '@grokscope/core';

export interface AttentionOnlyOptions {
  readonly dModel?: number;
  readonly heads?: number;
  /** Attention blocks (default 2). */
  readonly layers?: number;
}

const OPTIONS = ['dModel', 'heads', 'layers'];
const NO_REQUEST: ForwardRequest = { taps: new Set(), transforms: new Map() };
let uid = 0;

/**
 * A Transformer variant with no MLPs: `layers` blocks of causal multi-head attention on `a b =`
 * with a residual stream, logits read at `=`. Taps, all at `=`: `blocks.<l>.attn_out` and
 * `blocks.<l>.resid` per block, and `resid_final` (what the unembedding reads; a training
 * transform may rewrite it). Written against `@grokscope/core`'s `Model` alone; a config names it
 * as `model: { module: "./dist/index.js", options: { layers: 2 } }` (README.md).
 */
export class AttentionOnlyTransformer implements Model {
  readonly name = 'attention-only';
  readonly tapNames: readonly string[];
  readonly transformableTaps = ['resid_final'];
  readonly params: ReadonlyMap<string, tf.Variable>;
  readonly config: Required<AttentionOnlyOptions>;
  readonly #equalsToken: number;

  constructor(options: AttentionOnlyOptions, context: ModelContext) {
    const c = { dModel: options.dModel ?? 32, heads: options.heads ?? 4, layers: options.layers ?? 2 };
    for (const [k, v] of Object.entries(c))
      if (!Number.isInteger(v) || v <= 0)
        throw new ConfigError(`model.options.${k}`, `must be a positive integer, got ${JSON.stringify(v)}`);
    if (c.dModel % c.heads !== 0)
      throw new ConfigError('model.options.heads', `must divide model.options.dModel (${c.dModel}), got ${c.heads}`);
    this.config = c;
    this.#equalsToken = context.task.equalsToken;
    const d = c.dModel;
    // One seeded stream in declaration order: the same seed gives the same weights everywhere.
    const rng = Rng.derive(context.seed, 'init');
    const params = new Map<string, tf.Variable>();
    const normal = (name: string, shape: number[], std: number) => {
      const t = tf.tensor(
        rng.normalArray(
          shape.reduce((x, y) => x * y, 1),
          std,
        ),
        shape,
        'float32',
      );
      params.set(name, tf.variable(t, true, `attention-only/${name}/${uid++}`));
      t.dispose();
    };
    normal('embed', [context.task.vocabSize, d], 1 / Math.sqrt(d));
    normal('pos', [3, d], 1 / Math.sqrt(d));
    for (let l = 0; l < c.layers; l++)
      for (const w of ['q', 'k', 'v', 'o']) normal(`blocks.${l}.${w}`, [d, d], 1 / Math.sqrt(d));
    normal('unembed', [d, context.task.numClasses], 1 / Math.sqrt(d));
    this.params = params;
    this.tapNames = [
      ...Array.from({ length: c.layers }, (_, l) => [`blocks.${l}.attn_out`, `blocks.${l}.resid`]).flat(),
      'resid_final',
    ];
  }

  forward(batch: Batch, request: ForwardRequest = NO_REQUEST): ForwardResult {
    const { dModel: d, heads: H, layers } = this.config;
    const dh = d / H;
    const w = (name: string) => this.params.get(name)!;
    const n = batch.a.shape[0];
    const taps = new Map<string, tf.Tensor2D>();
    const tap = (name: string, t: tf.Tensor2D) => {
      const f = request.transforms.get(name);
      const out = f ? f(t) : t;
      if (request.taps.has(name)) taps.set(name, out);
      return out;
    };
    const tokens = tf.stack([batch.a, batch.b, tf.fill([n], this.#equalsToken, 'int32')], 1);
    let x: tf.Tensor = tf.add(tf.reshape(tf.gather(w('embed'), tf.reshape(tokens, [-1])), [n, 3, d]), w('pos'));
    const causal = tf.tensor2d([0, -1e9, -1e9, 0, 0, -1e9, 0, 0, 0], [3, 3]);
    const atEquals = (t: tf.Tensor) => tf.reshape(tf.slice(t, [0, 2, 0], [n, 1, d]), [n, d]) as tf.Tensor2D;
    for (let l = 0; l < layers; l++) {
      const h = tf.reshape(x, [n * 3, d]);
      const heads = (m: tf.Tensor) => tf.transpose(tf.reshape(tf.matMul(h, m), [n, 3, H, dh]), [0, 2, 1, 3]);
      const [q, k, v] = ['q', 'k', 'v'].map((m) => heads(w(`blocks.${l}.${m}`))) as [tf.Tensor, tf.Tensor, tf.Tensor];
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(q, tf.transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(dh)), causal));
      const z = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [n * 3, d]);
      const attn = tf.reshape(tf.matMul(z, w(`blocks.${l}.o`)), [n, 3, d]);
      tap(`blocks.${l}.attn_out`, atEquals(attn));
      x = tf.add(x, attn);
      tap(`blocks.${l}.resid`, atEquals(x));
    }
    const final = tap('resid_final', atEquals(x));
    return { logits: tf.matMul(final, w('unembed')), taps };
  }

  elementEmbeddings(): tf.Tensor2D {
    return tf.slice(this.params.get('embed')!, [0, 0], [this.#equalsToken, this.config.dModel]) as tf.Tensor2D;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/** The factory a config's `model: { module, options }` calls. */
export function attentionOnlyModel(options: Readonly<Record<string, unknown>>, context: ModelContext): Model {
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key))
      throw new ConfigError(
        `model.options.${key}`,
        `unknown option; the attention-only model takes ${OPTIONS.join(', ')}`,
      );
  }
  return new AttentionOnlyTransformer(options as AttentionOnlyOptions, context);
}

export default attentionOnlyModel;
