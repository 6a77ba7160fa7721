import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, METRIC_TAGS, type MetricsRecord, type Plugin } from '@grokscope/core';
import { z } from 'zod';
import { stringOption } from '../pluginOptions';
import { readReferenceRun } from './referenceRun';

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
 * `norm/weights` trajectory of a reference run without its entropy constraint. The reference is
 * a run directory or its metrics.jsonl (read when the run starts; Node only), or the reference
 * run's records themselves (a page that trained it holds them).
 */
export function normMatched(options: { reference: string | readonly MetricsRecord[] }): Plugin {
  const name = 'norm-matched';
  let steps: number[] = [];
  let values: number[] = [];
  return {
    name,
    apply(host) {
      host.hooks.setup.tapPromise(name, async () => {
        const reference = options?.reference;
        if (typeof reference !== 'string' && !Array.isArray(reference))
          throw new ConfigError(
            'interventions.norm-matched.reference',
            'needs the path of a reference run directory (or its metrics.jsonl)',
          );
        const { where, records } =
          typeof reference === 'string'
            ? readReferenceRun(reference)
            : { where: 'the reference run', records: reference as readonly MetricsRecord[] };
        const tag = METRIC_TAGS.normWeights;
        const recs = records.filter((r) => typeof r.metrics[tag] === 'number');
        if (recs.length === 0)
          throw new ConfigError(
            'interventions.norm-matched.reference',
            `${where} has no ${tag} records; the reference run needs the norms probe`,
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
