import { DEFAULT_THRESHOLDS, METRIC_TAGS, type Plugin } from '@grokscope/core';
import { z } from 'zod';

/** The accuracies that count as each event (defaults `DEFAULT_THRESHOLDS`: 0.99 train, 0.95 test). */
export const runEventsOptions = z.strictObject({
  memorised: z.number().gt(0).max(1).optional(),
  grokked: z.number().gt(0).max(1).optional(),
});

/**
 * The run events summary.json reports, stated as rules over the accuracy probe's metrics:
 * memorised at the first evaluation with `accuracy/train` ≥ `memorised`, grokked at the first
 * with `accuracy/test` ≥ `grokked`. Core applies the rules (to resumed records too) and reads no
 * metric itself (docs/architecture.md § What core knows). The CLI adds this plugin to every run
 * with the config's `thresholds`; a run without the accuracy probe reaches neither event.
 */
export function runEvents(options: { memorised?: number; grokked?: number } = {}): Plugin {
  const memorised = options.memorised ?? DEFAULT_THRESHOLDS.memorised;
  const grokked = options.grokked ?? DEFAULT_THRESHOLDS.grokked;
  return {
    name: 'run-events',
    apply(host) {
      host.defineEvent('memorised', (r) => (r.metrics[METRIC_TAGS.accuracyTrain] ?? -Infinity) >= memorised);
      host.defineEvent('grokked', (r) => (r.metrics[METRIC_TAGS.accuracyTest] ?? -Infinity) >= grokked);
    },
  };
}
