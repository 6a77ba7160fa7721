import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, ENTROPY_TAG_PREFIX, type Evaluation, type Plugin, probe, type Subset } from '@grokscope/core';
import { CovarianceAccumulator } from './covarianceAccumulator';
import { z } from 'zod';
import { stringOption } from './pluginOptions';
import { entropyOfSpectrum, symmetricEigenvalues } from './spectralEntropy';

export interface SpectralEntropyProbeOptions {
  /** Tap point whose representations are measured (default `resid_final`). */
  readonly tap?: string;
  /** Which examples: all pairs (default), train or test. */
  readonly subset?: Subset;
  /** Metric prefix (default `entropy`): give each instance its own. */
  readonly tag?: string;
  /** Rows read back per chunk: bounds host memory for large groups. */
  readonly chunkRows?: number;
}

/** What a config may give (the tap is checked against the model at setup). */
export const spectralEntropyOptions = z.strictObject({
  tap: stringOption().optional(),
  subset: z.enum(['all', 'train', 'test']).optional(),
  tag: stringOption().optional(),
  chunkRows: z.number().int().min(1).optional(),
});

/** `<tag>/H`, `/Hn`, `/effectiveRank`, `/participationRatio`, `/topShare` of a tap's covariance. */
export function spectralEntropyProbe(options: SpectralEntropyProbeOptions = {}): Plugin {
  const tap = options.tap ?? 'resid_final';
  const subset = options.subset ?? 'all';
  const tag = options.tag ?? ENTROPY_TAG_PREFIX;
  const chunkRows = options.chunkRows ?? 2048;
  const measure = (ev: Evaluation) => {
    const z = ev.forward(subset, [tap]).taps.get(tap)!;
    const [n, d] = z.shape;
    const acc = new CovarianceAccumulator(d);
    for (let start = 0; start < n; start += chunkRows) {
      const rows = Math.min(chunkRows, n - start);
      // One op, no tidy: tidy would walk the returned chunk element by element.
      const slice = tf.slice(z, [start, 0], [rows, d]);
      const chunk = slice.dataSync();
      slice.dispose();
      acc.add(chunk, rows);
    }
    const m = entropyOfSpectrum(symmetricEigenvalues(acc.covariance(), d), d);
    ev.metrics[`${tag}/H`] = m.H;
    ev.metrics[`${tag}/Hn`] = m.Hn;
    ev.metrics[`${tag}/effectiveRank`] = m.effectiveRank;
    ev.metrics[`${tag}/participationRatio`] = m.participationRatio;
    ev.metrics[`${tag}/topShare`] = m.topShare;
  };
  return probe(`spectral-entropy:${tag}`, measure, {
    setup(host) {
      if (!host.model.tapNames.includes(tap)) {
        throw new ConfigError(
          `probes.spectral-entropy.tap`,
          `unknown tap "${tap}"; the ${host.model.name} model offers ${host.model.tapNames.join(', ')}`,
        );
      }
      if (!['all', 'train', 'test'].includes(subset))
        throw new ConfigError('probes.spectral-entropy.subset', `must be all, train or test, got "${subset}"`);
    },
  });
}
