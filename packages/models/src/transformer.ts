import * as tf from '@tensorflow/tfjs-core';
import { parseConfig } from '@grokscope/base';
import { z } from 'zod';
import { ConfigError, type Batch, type ForwardRequest, type ForwardResult, type Model } from '@grokscope/core';
import { layerNorm, ParamSet } from './paramSet';

const positiveInt = z.number().int().positive();

/**
 * A Transformer's config, with its bounds and defaults (the paper's 128 / 4 heads / 512 / 1 layer):
 * the one place they are written. `factorised` (default true when absent, so configs that never
 * named it keep their run identity) uses the factorised forward for 1-layer models: attention at `=`
 * computed per vocabulary entry and gathered (exact; see `forwardFactorised`); false forces the
 * straightforward full-sequence forward.
 */
export const transformerSchema = z
  .strictObject({
    kind: z.literal('transformer'),
    dModel: positiveInt.default(128),
    heads: positiveInt.default(4),
    dMlp: positiveInt.default(512),
    layers: positiveInt.default(1),
    layerNorm: z.boolean().default(false),
    factorised: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    if (m.dModel % m.heads !== 0)
      ctx.addIssue({ code: 'custom', path: ['heads'], message: `must divide model.dModel (${m.dModel})` });
  });

/** What a Transformer may be given: any field left out takes the schema's default. */
export type TransformerConfig = Omit<z.input<typeof transformerSchema>, 'kind'>;

/** What a model needs to know of its task. */
export interface ModelShape {
  readonly vocabSize: number;
  readonly numClasses: number;
  readonly equalsToken: number;
}

/**
 * Taps of each block `l`, named `blocks.<l>.<tap>`; the last block's are also known by the bare name (the names a
 * 1-layer model always had). `resid` is a second name for `resid_post` (the stream after the block) and `mlp_out`
 * the MLP's contribution to it, so a probe can read any layer's representation in the words the docs use.
 */
const BLOCK_TAPS = ['attn_out', 'resid_mid', 'mlp_hidden', 'mlp_out', 'resid_post', 'resid', 'attn_pattern'] as const;
/** The last block's taps under their bare names, in the order a 1-layer model listed them. */
const ALIASES = ['attn_out', 'resid_mid', 'mlp_hidden', 'attn_pattern'] as const;
const NO_REQUEST: ForwardRequest = { taps: new Set(), transforms: new Map() };
/** The tap of head `h`'s share of block `l`'s attention output. */
const headTap = (l: number, h: number) => `blocks.${l}.head.${h}.attn_out`;

/**
 * The study's Transformer on `a b =`: token + learned positional embeddings, `layers` blocks of
 * causal multi-head attention and a ReLU MLP (LayerNorm optional, off by default), logits read
 * at the last position. Weights ~ N(0, 1/fan_in) as in the reference grokking work.
 *
 * Taps, all at the last position (`=`): `embed` [n, 2·d] (token+position embeddings of a and b,
 * concatenated); per block l, `blocks.<l>.attn_out` [n, d] (attention output), `blocks.<l>.resid_mid`
 * [n, d], `blocks.<l>.mlp_hidden` [n, d_mlp] (post-ReLU), `blocks.<l>.mlp_out` [n, d] (the MLP's output, what it
 * adds to the stream), `blocks.<l>.resid_post` [n, d] (the residual stream after the block; also
 * `blocks.<l>.resid`) and `blocks.<l>.attn_pattern` [n, heads·3] (the attention weights of the `=` query over
 * positions a, b, =, head by head), `blocks.<l>.head.<h>.attn_out` [n, d] (head h's share of `attn_out`: its
 * values through its rows of W_O; the shares sum to `attn_out`); `resid_final` [n, d] (what the unembedding reads: the last block's
 * `resid_post`, after the final LayerNorm when there is one). `attn_out`, `resid_mid`, `mlp_hidden` and
 * `attn_pattern` name the last block's taps, as they always did. Training transforms may rewrite the last
 * block's taps but its pattern and `mlp_out` (`transformableTaps`): earlier blocks' taps are read-only views
 * (docs/hooks.md § forward). A tap is computed and kept only when asked for.
 */
export class Transformer implements Model {
  readonly name = 'transformer';
  readonly tapNames: readonly string[];
  readonly transformableTaps: readonly string[];
  readonly params: ReadonlyMap<string, tf.Variable>;
  readonly config: Required<TransformerConfig>;
  readonly shape: ModelShape;
  #p: Map<string, tf.Variable>;

  constructor(shape: ModelShape, config: TransformerConfig, seed: number) {
    const parsed = parseConfig(transformerSchema, { ...config, kind: 'transformer' }, 'model');
    const c: Required<TransformerConfig> = {
      dModel: parsed.dModel,
      heads: parsed.heads,
      dMlp: parsed.dMlp,
      layers: parsed.layers,
      layerNorm: parsed.layerNorm,
      factorised: parsed.factorised ?? true,
    };
    this.config = c;
    this.shape = shape;
    const last = c.layers - 1;
    const perBlock = Array.from({ length: c.layers }, (_, l) => [
      ...BLOCK_TAPS.map((t) => `blocks.${l}.${t}`),
      ...Array.from({ length: c.heads }, (_, h) => headTap(l, h)),
    ]).flat();
    this.tapNames = Object.freeze(['embed', ...ALIASES, 'resid_final', ...perBlock]);
    // `embed` is a concatenated copy of the a and b rows and `attn_pattern` a copy of the weights: the forward never reads either back.
    const rewritable = ['attn_out', 'resid_mid', 'mlp_hidden', 'resid_post'];
    this.transformableTaps = Object.freeze([
      'attn_out',
      'resid_mid',
      'mlp_hidden',
      'resid_final',
      ...rewritable.map((t) => `blocks.${last}.${t}`),
    ]);
    const d = c.dModel;
    const ps = new ParamSet(seed, 'transformer');
    ps.normal('embed', [shape.vocabSize, d], 1 / Math.sqrt(d));
    ps.normal('pos', [3, d], 1 / Math.sqrt(d));
    for (let l = 0; l < c.layers; l++) {
      if (c.layerNorm) {
        ps.ones(`l${l}.ln1.g`, [d]);
        ps.zeros(`l${l}.ln1.b`, [d]);
      }
      ps.normal(`l${l}.attn.q`, [d, d], 1 / Math.sqrt(d));
      ps.normal(`l${l}.attn.k`, [d, d], 1 / Math.sqrt(d));
      ps.normal(`l${l}.attn.v`, [d, d], 1 / Math.sqrt(d));
      ps.normal(`l${l}.attn.o`, [d, d], 1 / Math.sqrt(d));
      if (c.layerNorm) {
        ps.ones(`l${l}.ln2.g`, [d]);
        ps.zeros(`l${l}.ln2.b`, [d]);
      }
      ps.normal(`l${l}.mlp.in`, [d, c.dMlp], 1 / Math.sqrt(d));
      ps.zeros(`l${l}.mlp.inBias`, [c.dMlp]);
      ps.normal(`l${l}.mlp.out`, [c.dMlp, d], 1 / Math.sqrt(c.dMlp));
      ps.zeros(`l${l}.mlp.outBias`, [d]);
    }
    if (c.layerNorm) {
      ps.ones('lnFinal.g', [d]);
      ps.zeros('lnFinal.b', [d]);
    }
    ps.normal('unembed', [d, shape.numClasses], 1 / Math.sqrt(d));
    this.#p = ps.params;
    this.params = ps.params;
  }

  forward(batch: Batch, request: ForwardRequest = NO_REQUEST): ForwardResult {
    return this.config.factorised && this.config.layers === 1
      ? this.forwardFactorised(batch, request)
      : this.forwardFull(batch, request);
  }

  elementEmbeddings(): tf.Tensor2D {
    return tf.slice(this.#p.get('embed')!, [0, 0], [this.shape.equalsToken, this.config.dModel]) as tf.Tensor2D;
  }

  dispose(): void {
    for (const v of this.#p.values()) v.dispose();
  }

  #w(name: string): tf.Variable {
    return this.#p.get(name)!;
  }

  #ln(x: tf.Tensor, name: string): tf.Tensor {
    return this.config.layerNorm ? layerNorm(x, this.#w(`${name}.g`), this.#w(`${name}.b`)) : x;
  }

  /**
   * Applies a requested training transform to a tap of block `layer` and records it under each
   * name asked for: `blocks.<layer>.<tap>`, and the bare name when `layer` is the last block.
   */
  #tap(
    tap: string,
    layer: number | null,
    t: tf.Tensor2D,
    request: ForwardRequest,
    taps: Map<string, tf.Tensor2D>,
  ): tf.Tensor2D {
    const names =
      layer === null
        ? [tap]
        : [
            `blocks.${layer}.${tap}`,
            ...(tap === 'resid_post' ? [`blocks.${layer}.resid`] : []),
            ...(layer === this.config.layers - 1 && tap !== 'resid_post' && tap !== 'mlp_out' ? [tap] : []),
          ];
    const given = names.filter((n) => request.transforms.has(n));
    if (given.length > 1)
      throw new ConfigError(
        'tap',
        `two transforms rewrite the same tap (${given.join(' and ')} name one tensor); give one`,
      );
    const transform = given.length === 1 ? request.transforms.get(given[0]!) : undefined;
    const out = transform ? transform(t) : t;
    for (const n of names) if (request.taps.has(n)) taps.set(n, out);
    return out;
  }

  /**
   * Each head's share of block `layer`'s attention output, `blocks.<l>.head.<h>.attn_out` [n, d]: the head's
   * values (`z`'s columns of head h, at `=`) through its rows of W_O. The heads' shares sum to `attn_out`. Views
   * only (never transformable), computed when asked.
   */
  #headTaps(layer: number, z: tf.Tensor2D, request: ForwardRequest, taps: Map<string, tf.Tensor2D>): void {
    const { dModel: d, heads: H } = this.config;
    const dh = d / H;
    for (let h = 0; h < H; h++) {
      const name = headTap(layer, h);
      if (!request.taps.has(name)) continue;
      const wo = tf.slice(this.#w(`l${layer}.attn.o`), [h * dh, 0], [dh, d]);
      taps.set(name, tf.matMul(tf.slice(z, [0, h * dh], [-1, dh]), wo) as tf.Tensor2D);
    }
  }

  /** Whether anyone asked for a tap of block `layer` (its bare name counts for the last block). */
  #wants(tap: string, layer: number, request: ForwardRequest): boolean {
    const name = `blocks.${layer}.${tap}`;
    if (tap === 'resid_post' && request.taps.has(`blocks.${layer}.resid`)) return true;
    return request.taps.has(name) || (layer === this.config.layers - 1 && request.taps.has(tap));
  }

  /** Embedding rows of a and b (with positions) concatenated, only when someone asked. */
  #embedTap(batch: Batch, request: ForwardRequest, taps: Map<string, tf.Tensor2D>): void {
    for (const name of request.transforms.keys()) {
      if (!this.transformableTaps.includes(name)) {
        throw new ConfigError(
          'tap',
          `the transformer cannot rewrite tap "${name}" in training; transformable taps: ${this.transformableTaps.join(', ')}`,
        );
      }
    }
    if (!request.taps.has('embed')) return;
    const e = this.#w('embed');
    const pos = this.#w('pos');
    const xa = tf.add(tf.gather(e, batch.a), tf.slice(pos, [0, 0], [1, -1]));
    const xb = tf.add(tf.gather(e, batch.b), tf.slice(pos, [1, 0], [1, -1]));
    taps.set('embed', tf.concat([xa, xb], 1) as tf.Tensor2D);
  }

  /** MLP block and unembedding at the last position, shared by both forwards. */
  #head(residMid: tf.Tensor2D, layer: number, request: ForwardRequest, taps: Map<string, tf.Tensor2D>): tf.Tensor2D {
    const p = `l${layer}`;
    const hidden = this.#tap(
      'mlp_hidden',
      layer,
      tf.relu(
        tf.add(
          tf.matMul(this.#ln(residMid, `${p}.ln2`) as tf.Tensor2D, this.#w(`${p}.mlp.in`)),
          this.#w(`${p}.mlp.inBias`),
        ),
      ) as tf.Tensor2D,
      request,
      taps,
    );
    const mlpOut = tf.add(tf.matMul(hidden, this.#w(`${p}.mlp.out`)), this.#w(`${p}.mlp.outBias`)) as tf.Tensor2D;
    // A read-only view (not transformable): recording it leaves the sum below as it was.
    if (this.#wants('mlp_out', layer, request)) this.#tap('mlp_out', layer, mlpOut, request, taps);
    const resid = this.#tap('resid_post', layer, tf.add(residMid, mlpOut) as tf.Tensor2D, request, taps);
    const final = this.#tap('resid_final', null, this.#ln(resid, 'lnFinal') as tf.Tensor2D, request, taps);
    return tf.matMul(final, this.#w('unembed'));
  }

  /**
   * 1-layer forward that computes only what the readout at `=` needs. With one layer, the key
   * and value at position 0 depend on `a` alone, at position 1 on `b` alone, and the query at
   * position 2 is the same for every example. So attention scores and values are tables over
   * the vocabulary ([V, heads] and [V, d]), gathered per example: no [n, 3, d] activations.
   */
  forwardFactorised(batch: Batch, request: ForwardRequest = NO_REQUEST): ForwardResult {
    const { dModel: d, heads: H } = this.config;
    const dh = d / H;
    const taps = new Map<string, tf.Tensor2D>();
    this.#embedTap(batch, request, taps);
    const e = this.#w('embed');
    const pos = this.#w('pos');
    const xs = [0, 1].map((i) => this.#ln(tf.add(e, tf.slice(pos, [i, 0], [1, -1])), 'l0.ln1') as tf.Tensor2D);
    const x2raw = tf.add(tf.gather(e, [this.shape.equalsToken]), tf.slice(pos, [2, 0], [1, -1])) as tf.Tensor2D; // [1, d]
    const x2 = this.#ln(x2raw, 'l0.ln1') as tf.Tensor2D;
    const q = tf.reshape(tf.matMul(x2, this.#w('l0.attn.q')), [1, H, dh]);
    const wk = this.#w('l0.attn.k');
    const wv = this.#w('l0.attn.v');
    // Per-head score of each vocabulary entry as key at positions 0 and 1: [V, H].
    const score = (x: tf.Tensor2D) => tf.sum(tf.mul(tf.reshape(tf.matMul(x, wk), [-1, H, dh]), q), 2);
    const scale = 1 / Math.sqrt(dh);
    const s0 = tf.gather(score(xs[0]!), batch.a);
    const s1 = tf.gather(score(xs[1]!), batch.b);
    // The `=` row's score, the same for every example: a broadcast (core registers Tile's gradient
    // as one Sum, docs/throughput.md § Kernels replaced).
    const s2 = tf.broadcastTo(score(x2), s0.shape);
    const w = tf.softmax(tf.mul(tf.stack([s0, s1, s2], 2), scale)); // [n, H, 3]
    if (this.#wants('attn_pattern', 0, request))
      this.#tap('attn_pattern', 0, tf.reshape(w, [-1, H * 3]) as tf.Tensor2D, request, taps);
    const v0 = tf.reshape(tf.gather(tf.matMul(xs[0]!, wv), batch.a), [-1, H, dh]);
    const v1 = tf.reshape(tf.gather(tf.matMul(xs[1]!, wv), batch.b), [-1, H, dh]);
    const v2 = tf.reshape(tf.matMul(x2, wv), [1, H, dh]);
    const [w0, w1, w2] = tf.split(w, 3, 2) as [tf.Tensor, tf.Tensor, tf.Tensor]; // [n, H, 1] each
    const z = tf.reshape(tf.add(tf.add(tf.mul(w0, v0), tf.mul(w1, v1)), tf.mul(w2, v2)), [-1, d]) as tf.Tensor2D;
    this.#headTaps(0, z, request, taps);
    const attnOut = this.#tap('attn_out', 0, tf.matMul(z, this.#w('l0.attn.o')), request, taps);
    const residMid = this.#tap('resid_mid', 0, tf.add(x2raw, attnOut) as tf.Tensor2D, request, taps);
    return { logits: this.#head(residMid, 0, request, taps), taps };
  }

  /** The straightforward forward: every layer over all three positions, causal attention. */
  forwardFull(batch: Batch, request: ForwardRequest = NO_REQUEST): ForwardResult {
    const { dModel: d, heads: H, layers } = this.config;
    const dh = d / H;
    const taps = new Map<string, tf.Tensor2D>();
    this.#embedTap(batch, request, taps);
    const n = batch.a.shape[0];
    const eq = tf.fill([n], this.shape.equalsToken, 'int32');
    const tokens = tf.stack([batch.a, batch.b, eq], 1) as tf.Tensor2D; // [n, 3]
    let x: tf.Tensor = tf.add(
      tf.reshape(tf.gather(this.#w('embed'), tf.reshape(tokens, [-1])), [n, 3, d]),
      this.#w('pos'),
    );
    const causal = tf.tensor2d([0, -1e9, -1e9, 0, 0, -1e9, 0, 0, 0], [3, 3]);
    for (let l = 0; l < layers; l++) {
      const p = `l${l}`;
      const h = tf.reshape(this.#ln(x, `${p}.ln1`), [n * 3, d]);
      const split = (w: tf.Tensor) => tf.transpose(tf.reshape(tf.matMul(h, w), [n, 3, H, dh]), [0, 2, 1, 3]); // [n, H, 3, dh]
      const q = split(this.#w(`${p}.attn.q`));
      const k = split(this.#w(`${p}.attn.k`));
      const v = split(this.#w(`${p}.attn.v`));
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(q, tf.transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(dh)), causal));
      const z = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [n * 3, d]);
      const attn = tf.reshape(tf.matMul(z, this.#w(`${p}.attn.o`)), [n, 3, d]);
      // The `=` query's weights over the three positions, head by head: [n, H·3].
      if (this.#wants('attn_pattern', l, request))
        this.#tap(
          'attn_pattern',
          l,
          tf.reshape(tf.slice(att, [0, 0, 2, 0], [n, H, 1, 3]), [n, H * 3]) as tf.Tensor2D,
          request,
          taps,
        );
      const last = (t: tf.Tensor, width = d) =>
        tf.reshape(tf.slice(t, [0, 2, 0], [n, 1, width]), [n, width]) as tf.Tensor2D;
      if (Array.from({ length: H }, (_, h) => headTap(l, h)).some((t) => request.taps.has(t)))
        this.#headTaps(l, last(tf.reshape(z, [n, 3, d])), request, taps);
      if (l < layers - 1) {
        // Earlier blocks' taps are views at `=` (not transformable: the stream goes on as [n, 3, d]).
        if (this.#wants('attn_out', l, request)) this.#tap('attn_out', l, last(attn), request, taps);
        x = tf.add(x, attn);
        if (this.#wants('resid_mid', l, request)) this.#tap('resid_mid', l, last(x), request, taps);
        const hid = tf.relu(
          tf.add(
            tf.matMul(tf.reshape(this.#ln(x, `${p}.ln2`), [n * 3, d]), this.#w(`${p}.mlp.in`)),
            this.#w(`${p}.mlp.inBias`),
          ),
        );
        if (this.#wants('mlp_hidden', l, request))
          this.#tap('mlp_hidden', l, last(tf.reshape(hid, [n, 3, this.config.dMlp]), this.config.dMlp), request, taps);
        const mlpOut = tf.reshape(tf.add(tf.matMul(hid, this.#w(`${p}.mlp.out`)), this.#w(`${p}.mlp.outBias`)), [
          n,
          3,
          d,
        ]);
        if (this.#wants('mlp_out', l, request)) this.#tap('mlp_out', l, last(mlpOut), request, taps);
        x = tf.add(x, mlpOut);
        if (this.#wants('resid_post', l, request)) this.#tap('resid_post', l, last(x), request, taps);
      } else {
        const attnOut = this.#tap('attn_out', l, last(attn), request, taps);
        const residMid = this.#tap('resid_mid', l, tf.add(last(x), attnOut) as tf.Tensor2D, request, taps);
        return { logits: this.#head(residMid, l, request, taps), taps };
      }
    }
    throw new Error('unreachable: layers ≥ 1 is validated');
  }
}
