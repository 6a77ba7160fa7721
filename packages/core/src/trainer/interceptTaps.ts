import { NonFiniteError, PluginError } from '../errors';
import type { TrainerHooks } from '../plugin';

/** Milliseconds spent in each `hook:plugin` tap, for the bench's probe-cost table. */
export type TapTimings = Map<string, { calls: number; ms: number }>;

/** A tap as tapable hands it to a `register` interceptor, whatever the hook's arguments. */
export interface RegisteredTap {
  readonly name: string;
  readonly type: 'sync' | 'async' | 'promise';
  // tapable types a tap's function as `Function`: each interceptor knows the arguments of its own hook.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  fn: Function;
}

/**
 * The one part of a tapable hook an interceptor of its taps needs. Every hook has it, whatever
 * its argument types, so all of `TrainerHooks` can be wrapped in one loop without a cast.
 */
export interface TapRegistry {
  intercept(interceptor: { register(tap: RegisteredTap): RegisteredTap }): void;
}

/**
 * Wraps every tap of every hook, whenever it is registered, to time it and to turn a throw
 * into a `PluginError` naming the plugin and the hook. A `NonFiniteError` passes through as it
 * is, so a NaN inside a plugin's computation reads the same as one in the loss. The wrapper
 * passes each tap's arguments through untouched: it needs to know nothing of what a hook carries.
 */
export function interceptTaps(hooks: TrainerHooks, timings: TapTimings): void {
  const all: { readonly [K in keyof TrainerHooks]: TapRegistry } = hooks;
  for (const [hookName, hook] of Object.entries(all)) {
    hook.intercept({
      register(tap) {
        const fn = tap.fn as (...args: unknown[]) => unknown;
        const key = `${hookName}:${tap.name}`;
        const record = (t0: number) => recordTiming(timings, key, t0);
        const wrapError = (err: unknown) => pluginError(tap.name, hookName, err);
        if (tap.type === 'promise') {
          tap.fn = async (...args: unknown[]) => {
            const t0 = performance.now();
            try {
              return await fn(...args);
            } catch (err) {
              throw wrapError(err);
            } finally {
              record(t0);
            }
          };
        } else if (tap.type === 'sync') {
          tap.fn = (...args: unknown[]) => {
            const t0 = performance.now();
            try {
              return fn(...args);
            } catch (err) {
              throw wrapError(err);
            } finally {
              record(t0);
            }
          };
        } else {
          tap.fn = (...args: unknown[]) => {
            const callback = args.pop() as (err?: unknown, result?: unknown) => void;
            const t0 = performance.now();
            try {
              fn(...args, (err?: unknown, result?: unknown) => {
                record(t0);
                callback(err ? wrapError(err) : err, result);
              });
            } catch (err) {
              record(t0);
              callback(wrapError(err));
            }
          };
        }
        return tap;
      },
    });
  }
}

/** Adds one call of `key` (`hook:plugin`) that began at `t0` to `timings`. */
export function recordTiming(timings: TapTimings, key: string, t0: number): void {
  const t = timings.get(key) ?? { calls: 0, ms: 0 };
  t.calls += 1;
  t.ms += performance.now() - t0;
  timings.set(key, t);
}

/** A plugin's throw in `where` (a hook, or `saveState`/`loadState`) as the run reports it. */
export function pluginError(plugin: string, where: string, err: unknown): Error {
  return err instanceof PluginError || err instanceof NonFiniteError ? err : new PluginError(plugin, where, err);
}
