import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, METRIC_TAGS, readMetrics, type Plugin } from '@grokscope/core';
import { z } from 'zod';
import { stringOption } from '../pluginOptions';

/** n_ref(t): linear between recorded steps, constant beyond the ends. */
export function interpolateTrajectory(steps: readonly number[], values: readonly number[], t: number): number {
  if (t <= steps[0]!) return values[0]!;
  const last = steps.length - 1;
  if (t >= steps[last]!) return values[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! <= t) lo = mid;
    else hi = mid;
  }
  const w = (t - steps[lo]!) / (steps[hi]! - steps[lo]!);
  return values[lo]! + w * (values[hi]! - values[lo]!);
}

export const normMatchedOptions = z.strictObject({
  reference: stringOption('the path of a reference run directory or its metrics.jsonl'),
});

/**
 * The norm-matched control: after every optimiser step, θ ← θ·n_ref(t)/‖θ‖₂, following the
 * `norm/weights` trajectory of a reference run (a run directory or its metrics.jsonl) without
 * its entropy constraint.
 */
export function normMatched(options: { reference: string }): Plugin {
  const name = 'norm-matched';
  let steps: number[] = [];
  let values: number[] = [];
  return {
    name,
    apply(host) {
      host.hooks.setup.tapPromise(name, async () => {
        if (typeof options?.reference !== 'string')
          throw new ConfigError(
            'interventions.norm-matched.reference',
            'needs the path of a reference run directory (or its metrics.jsonl)',
          );
        const file = options.reference.endsWith('.jsonl')
          ? options.reference
          : path.join(options.reference, 'metrics.jsonl');
        if (!fs.existsSync(file))
          throw new ConfigError(
            'interventions.norm-matched.reference',
            `${file} does not exist; run the reference (intervention) run first`,
          );
        const tag = METRIC_TAGS.normWeights;
        const recs = readMetrics(file).records.filter((r) => typeof r.metrics[tag] === 'number');
        if (recs.length === 0)
          throw new ConfigError(
            'interventions.norm-matched.reference',
            `${file} has no ${tag} records; the reference run needs the norms probe`,
          );
        steps = recs.map((r) => r.step);
        values = recs.map((r) => r.metrics[tag]!);
      });
      host.hooks.afterStep.tap(name, ({ step }) => {
        const target = interpolateTrajectory(steps, values, step);
        tf.tidy(() => {
          const params = [...host.model.params.values()];
          const norm = tf.sqrt(tf.addN(params.map((p) => tf.sum(tf.square(p)))));
          const scale = tf.div(tf.scalar(target), norm);
          for (const p of params) p.assign(tf.mul(p, scale));
        });
      });
    },
  };
}
