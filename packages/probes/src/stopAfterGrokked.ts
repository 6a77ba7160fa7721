import { ConfigError, DEFAULT_THRESHOLDS, METRIC_TAGS, type Plugin } from '@grokscope/core';
import { z } from 'zod';

export const stopAfterGrokkedOptions = z.strictObject({
  after: z.number().int().min(0),
  threshold: z.number().gt(0).max(1).optional(),
});

/**
 * Ends a run `after` steps past t_grok (the first evaluation with `accuracy/test` ≥ threshold,
 * `DEFAULT_THRESHOLDS.grokked`, 0.95, by default) instead of training on to the step cap: long enough to see H̃ settle, and a
 * paper-scale run that groks near 9,000 steps no longer runs 40,000. The run ends `stopped` with
 * the reason; a run that never groks still runs to its cap and is censored there, as before.
 * t_grok is checkpointed, so a resumed run stops where an uninterrupted one would.
 */
export function stopAfterGrokked(options: { after: number; threshold?: number }): Plugin {
  const name = 'stop-after-grokked';
  const threshold = options.threshold ?? DEFAULT_THRESHOLDS.grokked;
  let grokkedAt: number | null = null;
  return {
    name,
    apply(host) {
      host.hooks.setup.tapPromise(name, async () => {
        if (!(Number.isInteger(options.after) && options.after >= 0))
          throw new ConfigError(
            'train.stopAfterGrokked',
            `must be an integer ≥ 0 (steps after t_grok), got ${options.after}`,
          );
      });
      // After every probe has measured (the default stage of shouldStop comes after evaluate).
      host.hooks.shouldStop.tap(name, (ev) => {
        const test = ev.metrics[METRIC_TAGS.accuracyTest];
        if (grokkedAt === null && test !== undefined && test >= threshold) grokkedAt = ev.step;
        if (grokkedAt !== null && ev.step >= grokkedAt + options.after) {
          return `grokked at ${grokkedAt}; stopped ${ev.step - grokkedAt} steps later (train.stopAfterGrokked ${options.after})`;
        }
        return undefined;
      });
    },
    saveState: () => ({ grokkedAt }),
    loadState(state) {
      grokkedAt = (state as { grokkedAt: number | null }).grokkedAt;
    },
  };
}
