import * as tf from '@tensorflow/tfjs-core';
import { METRIC_TAGS, type Plugin, probe } from '@grokscope/core';
import { fourierAlignment } from './fourierAlignment';
import { z } from 'zod';

/** How many key frequencies to report. */
export const fourierOptions = z.strictObject({ topK: z.number().int().min(1).optional() });

/** `fourier/alignment` and `fourier/key1..K` for cyclic tasks; silent (one log line) otherwise. */
export function fourierProbe(options: { topK?: number } = {}): Plugin {
  const topK = options.topK ?? 5;
  let warned = false;
  return probe('fourier', (ev, host) => {
    const cyclic = host.task.cyclic;
    const model = host.model;
    if (!cyclic || !model.elementEmbeddings) {
      if (!warned)
        host.log(
          'info',
          `fourier probe: ${cyclic ? 'the model has no element embeddings' : `task ${host.task.name} is not cyclic`}; no fourier metrics`,
        );
      warned = true;
      return;
    }
    const [we, shape] = tf.tidy(() => {
      const e = model.elementEmbeddings!();
      return [e.dataSync(), e.shape] as const;
    });
    const f = fourierAlignment(we, shape[0], shape[1], cyclic.modulus, cyclic.residues, topK);
    ev.metrics[METRIC_TAGS.fourierAlignment] = f.alignment;
    f.keyFrequencies.forEach((k, i) => (ev.metrics[`fourier/key${i + 1}`] = k));
  });
}
