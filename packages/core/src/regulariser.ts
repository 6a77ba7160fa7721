import type { Scalar } from '@tensorflow/tfjs-core';
import type { Plugin, PluginHost, StepContext } from './plugin';

export interface RegulariserOptions {
  /** The loss term's name in `LossTerms` (default: the plugin's name). */
  readonly term?: string;
  /** Taps the term reads from `ctx.forward.taps`: requested from the model every step. */
  readonly taps?: readonly string[];
  /** Once before the run: check options against the model (throw a `ConfigError` naming the field). */
  readonly setup?: (host: PluginHost) => void | Promise<void>;
}

/**
 * A regulariser from its loss term: `term(ctx, host)` returns a scalar added to the loss every
 * step, inside the gradient tape (docs/plugins.md § A regulariser). The taps it names are
 * requested in the `forward` hook, so `ctx.forward.taps` holds them.
 */
export function regulariser(
  name: string,
  term: (ctx: StepContext, host: PluginHost) => Scalar,
  options: RegulariserOptions = {},
): Plugin {
  const termName = options.term ?? name;
  const taps = options.taps ?? [];
  return {
    name,
    apply(host) {
      const { setup } = options;
      if (setup) host.hooks.setup.tapPromise(name, async () => setup(host));
      if (taps.length > 0)
        host.hooks.forward.tap(name, (request) => ({ ...request, taps: new Set([...request.taps, ...taps]) }));
      host.hooks.loss.tap(name, (terms, ctx) => ({ ...terms, [termName]: term(ctx, host) }));
    },
  };
}
