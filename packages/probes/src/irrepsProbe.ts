import * as tf from '@tensorflow/tfjs-core';
import { METRIC_TAGS, type Plugin, probe } from '@grokscope/core';
import { type Irrep } from './irrep';
import { irrepAlignment } from './irrepAlignment';
import { irrepsOfTask } from './irrepsOfTask';
import { z } from 'zod';

/** How many key irreps the alignment counts. */
export const irrepsOptions = z.strictObject({ topK: z.number().int().min(1).optional() });

/**
 * For S_n and D_n tasks: `irreps/alignment` (the share of the embeddings' non-trivial energy in
 * their top-K irreps, K = 1 by default), `irreps/key1..K` (those irreps, by index in
 * `symmetricIrreps`/`dihedralIrreps` order), `irreps/chance` (what a random embedding would score
 * in them) and `irreps/share<i>` per non-trivial irrep. Silent (one log line) for other tasks.
 * K defaults to 1, not the Fourier probe's 5: S5 has six non-trivial irreps and S4 four, so five
 * of them would hold nearly all the energy of any embedding.
 */
export function irrepsProbe(options: { topK?: number } = {}): Plugin {
  const topK = options.topK ?? 1;
  let irreps: Irrep[] | null | undefined;
  return probe('irreps', (ev, host) => {
    const model = host.model;
    if (irreps === undefined) {
      // Built once: the task does not change during a run, and S6's matrices take a moment.
      const none = { reason: 'the model has no element embeddings' };
      const found = model.elementEmbeddings ? irrepsOfTask(host.task) : none;
      irreps = 'irreps' in found ? found.irreps : null;
      if ('reason' in found) host.log('info', `irreps probe: ${found.reason}; no irreps metrics`);
    }
    if (!irreps || !model.elementEmbeddings) return;
    const [we, shape] = tf.tidy(() => {
      const e = model.elementEmbeddings!();
      return [e.dataSync(), e.shape] as const;
    });
    if (shape[0] !== host.task.order) {
      const why = `the model embeds ${shape[0]} elements, the task has ${host.task.order}`;
      host.log('info', `irreps probe: ${why}; no irreps metrics`);
      irreps = null;
      return;
    }
    const a = irrepAlignment(we, shape[0], shape[1], irreps, topK);
    ev.metrics[METRIC_TAGS.irrepAlignment] = a.alignment;
    ev.metrics['irreps/chance'] = a.chance;
    a.keyIrreps.forEach((k, i) => (ev.metrics[`irreps/key${i + 1}`] = k));
    const nonTrivial = a.energy.reduce((s, e) => s + e, 0) - a.energy[0]!;
    a.energy.forEach((e, i) => {
      if (i > 0) ev.metrics[`irreps/share${i}`] = nonTrivial > 0 ? e / nonTrivial : 0;
    });
  });
}
