import type { Evaluation, Plugin, PluginHost } from './plugin';
import { EvalStage } from './trainer/stages';

export interface ProbeOptions {
  /** When in the evaluation it measures (`EvalStage`; default `measure`). */
  readonly stage?: number;
  /** Once before the run: check options against the model and task (throw a `ConfigError` naming the field). */
  readonly setup?: (host: PluginHost) => void | Promise<void>;
}

/**
 * A probe from its measurement: `measure(ev, host)` writes metrics into `ev.metrics` at every
 * evaluation. The scaffold every probe repeated (a plugin, its `evaluate` tap, its stage, its
 * setup check) is here once (docs/plugins.md § A probe).
 */
export function probe(
  name: string,
  measure: (ev: Evaluation, host: PluginHost) => void | Promise<void>,
  options: ProbeOptions = {},
): Plugin {
  return {
    name,
    apply(host) {
      const { setup } = options;
      if (setup) host.hooks.setup.tapPromise(name, async () => setup(host));
      host.hooks.evaluate.tapPromise({ name, stage: options.stage ?? EvalStage.measure }, async (ev) =>
        measure(ev, host),
      );
    },
  };
}
