import { UnknownTapError } from '../errors';
import type { ForwardRequest, Model, TrainerHooks } from '../plugin';

/** Throws `UnknownTapError` for the first of `taps` that `model` does not list in `tapNames`. */
export function checkTaps(model: Model, taps: Iterable<string>, where: string): void {
  for (const tap of taps)
    if (!model.tapNames.includes(tap)) throw new UnknownTapError(tap, model.name, model.tapNames, where);
}

/**
 * Checks the request each `forward` tap returns against the model, so a tap name the model does
 * not have is an error naming it rather than a tap that silently never arrives. Install it
 * before `interceptTaps`: the error then reaches the run as a `PluginError` naming the plugin.
 */
export function checkForwardRequests(hook: TrainerHooks['forward'], model: Model): void {
  hook.intercept({
    register(tap) {
      const fn = tap.fn as (request: ForwardRequest, ...rest: unknown[]) => ForwardRequest | undefined;
      tap.fn = (request: ForwardRequest, ...rest: unknown[]) => {
        const out = fn(request, ...rest);
        const effective = out ?? request;
        checkTaps(model, effective.taps, 'in its forward request');
        checkTaps(model, effective.transforms.keys(), 'as a transform in its forward request');
        return out;
      };
      return tap;
    },
  });
}
