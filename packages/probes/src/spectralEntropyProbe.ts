import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, ENTROPY_TAG_PREFIX, type Evaluation, type Plugin, probe, type Subset } from '@grokscope/core';
import { CovarianceAccumulator } from './covarianceAccumulator';
import { z } from 'zod';
import { stringOption } from './pluginOptions';
import { entropyOfSpectrum, symmetricEigenvalues } from './spectralEntropy';

export interface SpectralEntropyProbeOptions {
  /** Tap point whose representations are measured (default `resid_final`). */
  readonly tap?: string;
  /**
   * Several taps measured from one forward pass, each tagged `<tag>/<tap>/H`, `…/Hn` and so on (a layer's taps side by
   * side). Give `tap` or `taps`, not both: the single-tap tags `<tag>/Hn` stay what every reader of a run expects.
   */
  readonly taps?: readonly string[];
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
  taps: z.array(stringOption()).min(1).optional(),
  subset: z.enum(['all', 'train', 'test']).optional(),
  tag: stringOption().optional(),
  chunkRows: z.number().int().min(1).optional(),
});

/**
 * `<tag>/H`, `/Hn`, `/effectiveRank`, `/participationRatio`, `/topShare` of a tap's covariance; with `taps`, the same
 * under `<tag>/<tap>/` for each tap.
 */
export function spectralEntropyProbe(options: SpectralEntropyProbeOptions = {}): Plugin {
  if (options.tap !== undefined && options.taps !== undefined)
    throw new ConfigError('probes.spectral-entropy.taps', 'give tap or taps, not both');
  const several = options.taps !== undefined;
  const taps = options.taps ?? [options.tap ?? 'resid_final'];
  const subset = options.subset ?? 'all';
  const tag = options.tag ?? ENTROPY_TAG_PREFIX;
  const chunkRows = options.chunkRows ?? 2048;
  const measureOne = (ev: Evaluation, z: tf.Tensor2D, prefix: string) => {
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
    ev.metrics[`${prefix}/H`] = m.H;
    ev.metrics[`${prefix}/Hn`] = m.Hn;
    ev.metrics[`${prefix}/effectiveRank`] = m.effectiveRank;
    ev.metrics[`${prefix}/participationRatio`] = m.participationRatio;
    ev.metrics[`${prefix}/topShare`] = m.topShare;
  };
  const measure = (ev: Evaluation) => {
    // One forward for every tap: the shared evaluation keeps the tensors, so nothing here needs disposing.
    const result = ev.forward(subset, taps);
    for (const tap of taps) measureOne(ev, result.taps.get(tap)!, several ? `${tag}/${tap}` : tag);
  };
  return probe(`spectral-entropy:${tag}`, measure, {
    setup(host) {
      for (const tap of taps) {
        if (!host.model.tapNames.includes(tap)) {
          throw new ConfigError(
            `probes.spectral-entropy.${several ? 'taps' : 'tap'}`,
            `unknown tap "${tap}"; the ${host.model.name} model offers ${host.model.tapNames.join(', ')}`,
          );
        }
      }
      if (!['all', 'train', 'test'].includes(subset))
        throw new ConfigError('probes.spectral-entropy.subset', `must be all, train or test, got "${subset}"`);
    },
  });
}
