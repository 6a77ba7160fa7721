import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, NonFiniteError, type Plugin, probe, regulariser } from '@grokscope/core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { z } from 'zod';
import { stringOption } from '../pluginOptions';

export interface EntropyFloorOptions {
  /** Weight λ of the penalty. */
  readonly lambda?: number;
  /** h_floor: the normalised entropy the batch representation is held above. */
  readonly floor?: number;
  readonly tap?: string;
  /** Eigenvalues are clipped at eps·Σλ so ln p stays finite. */
  readonly eps?: number;
}

/** What a config may give, checked before the run starts (the tap against the model at setup). */
export const entropyFloorOptions = z.strictObject({
  lambda: z.number().min(0).optional(),
  floor: z.number().gt(0).max(1).optional(),
  tap: stringOption().optional(),
  eps: z.number().gt(0).optional(),
});

/**
 * λ·max(0, h_floor − H̃(Z))² for a batch of representations Z [n, d], with the exact gradient
 * through the eigen-decomposition (docs/science.md § Entropy floor):
 * ∂H/∂λ_j = −(ln p_j + H)/Σλ, ∂H/∂C = U·diag(∂H/∂λ)·Uᵀ, and with C = Z_cᵀZ_c/(n−1),
 * ∂L/∂Z = 2/(n−1)·Z_c·∂L/∂C (the centring projection vanishes because Z_c's columns sum to 0).
 * Returns the penalty and the batch H̃ it saw.
 *
 * A batch whose covariance or entropy is not finite (parameters blown up by a learning rate far
 * too high) throws the trainer's `NonFiniteError` for `step`, as a NaN loss would.
 */
export function entropyFloorPenalty(
  z: tf.Tensor2D,
  lambda: number,
  floor: number,
  eps = 1e-8,
  step = NaN,
): { penalty: tf.Scalar; batchHn: number } {
  let batchHn = 0;
  const f = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const [n, d] = x.shape as [number, number];
    const zc = tf.sub(x, tf.mean(x, 0, true));
    save([zc]);
    const cov = tf.div(tf.matMul(tf.transpose(zc), zc), n - 1);
    const c = cov.dataSync();
    cov.dispose();
    if (!c.every(Number.isFinite))
      throw new NonFiniteError(step, 'the entropy-floor batch covariance (the representation it regularises)');
    const rows = Array.from({ length: d }, (_, i) => Array.from(c.subarray(i * d, (i + 1) * d)));
    const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
    const raw = eig.realEigenvalues;
    const scale = Math.max(
      raw.reduce((s, l) => s + Math.max(l, 0), 0),
      Number.MIN_VALUE,
    );
    const lam = raw.map((l) => Math.max(l, eps * scale));
    const total = lam.reduce((s, l) => s + l, 0);
    const p = lam.map((l) => l / total);
    const H = -p.reduce((s, q) => s + q * Math.log(q), 0);
    const Hn = H / Math.log(d);
    if (!Number.isFinite(Hn)) throw new NonFiniteError(step, 'the entropy-floor batch entropy');
    batchHn = Hn;
    const gap = Math.max(0, floor - Hn);
    const value = tf.scalar(lambda * gap * gap);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      if (gap === 0) return [tf.zerosLike(saved[0]!)];
      // dL/dH̃ · dH̃/dλ_j, then G = U diag(·) Uᵀ.
      const dLdHn = -2 * lambda * gap;
      const dHdl = p.map((q) => -(Math.log(q) + H) / total / Math.log(d));
      // Rows of U as plain arrays, and row i scaled by dH/dλ once per i: the same products in the
      // same order as Σ_k U_ik·(dH/dλ)_k·U_jk, so the same bits, without 2·d³ Matrix.get calls.
      const U = eig.eigenvectorMatrix.to2DArray();
      const G = new Float32Array(d * d);
      const scaled = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        const ui = U[i]!;
        for (let k = 0; k < d; k++) scaled[k] = ui[k]! * dHdl[k]!;
        for (let j = 0; j < d; j++) {
          const uj = U[j]!;
          let s = 0;
          for (let k = 0; k < d; k++) s += scaled[k]! * uj[k]!;
          G[i * d + j] = dLdHn * s;
        }
      }
      return [tf.mul(dy, tf.mul(tf.matMul(saved[0]!, tf.tensor2d(G, [d, d])), 2 / (n - 1)))];
    };
    return { value, gradFunc };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const penalty = f(z) as tf.Scalar;
  return { penalty, batchHn };
}

/** The collapse-blocking regulariser as a plugin: adds `entropyFloor` to the loss each step. */
export function entropyFloor(options: EntropyFloorOptions = {}): Plugin {
  const name = 'entropy-floor';
  const lambda = options.lambda ?? 1;
  const floor = options.floor ?? 0.9;
  const tap = options.tap ?? 'resid_final';
  const eps = options.eps ?? 1e-8;
  let lastHn = NaN;
  const term = regulariser(
    name,
    (ctx) => {
      const { penalty, batchHn } = entropyFloorPenalty(ctx.forward.taps.get(tap)!, lambda, floor, eps, ctx.step);
      lastHn = batchHn;
      return penalty;
    },
    {
      term: 'entropyFloor',
      taps: [tap],
      setup(host) {
        if (!(lambda >= 0)) throw new ConfigError('interventions.entropy-floor.lambda', `must be ≥ 0, got ${lambda}`);
        if (!(floor > 0 && floor <= 1))
          throw new ConfigError('interventions.entropy-floor.floor', `must be in (0, 1], got ${floor}`);
        if (!host.model.tapNames.includes(tap))
          throw new ConfigError(
            'interventions.entropy-floor.tap',
            `unknown tap "${tap}"; the model offers ${host.model.tapNames.join(', ')}`,
          );
      },
    },
  );
  // The batch H̃ it saw, reported at each evaluation (a probe of the same name beside the term).
  const report = probe(name, (ev) => {
    if (Number.isFinite(lastHn)) ev.metrics['intervention/batchHn'] = lastHn;
  });
  return {
    name,
    apply(host) {
      term.apply(host);
      report.apply(host);
    },
  };
}
