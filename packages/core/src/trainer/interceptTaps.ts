import type { Hook } from 'tapable';
import { PluginError } from '../errors';

/** Milliseconds spent in each `hook:plugin` tap, for the bench's probe-cost table. */
export type TapTimings = Map<string, { calls: number; ms: number }>;

/**
 * Wraps every tap of every hook, whenever it is registered, to time it and to turn a throw
 * into a `PluginError` naming the plugin and the hook.
 */
export function interceptTaps(hooks: Readonly<Record<string, Hook<unknown, unknown>>>, timings: TapTimings): void {
  for (const [hookName, hook] of Object.entries(hooks)) {
    hook.intercept({
      register(tap) {
        const fn = tap.fn as (...args: unknown[]) => unknown;
        const key = `${hookName}:${tap.name}`;
        const record = (t0: number) => {
          const t = timings.get(key) ?? { calls: 0, ms: 0 };
          t.calls += 1;
          t.ms += performance.now() - t0;
          timings.set(key, t);
        };
        const wrapError = (err: unknown) => (err instanceof PluginError ? err : new PluginError(tap.name, hookName, err));
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
