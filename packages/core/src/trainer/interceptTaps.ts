import type { Hook } from 'tapable';
import { GrokscopeError, NonFiniteError, PluginError } from '../errors';
import type { PluginState, PluginStateSlot } from '../plugin';
import type { PluginStates } from './hooks';

/** Milliseconds spent in each `hook:plugin` tap, for the bench's probe-cost table. */
export type TapTimings = Map<string, { calls: number; ms: number }>;

/**
 * Wraps every tap of every hook, whenever it is registered, to time it and to turn a throw
 * into a `PluginError` naming the plugin and the hook. A `NonFiniteError` passes through as it
 * is, so a NaN inside a plugin's computation reads the same as one in the loss. The `checkpoint`
 * and `restore` taps receive their plugin's own slot of the states map rather than the map, so
 * no plugin can read or overwrite another's state (docs/reliability.md).
 */
export function interceptTaps(hooks: Readonly<Record<string, Hook<unknown, unknown>>>, timings: TapTimings): void {
  for (const [hookName, hook] of Object.entries(hooks)) {
    hook.intercept({
      register(tap) {
        const raw = tap.fn as (...args: unknown[]) => unknown;
        const fn = hookName === 'checkpoint' || hookName === 'restore' ? scopeState(raw, tap.name, hookName) : raw;
        const key = `${hookName}:${tap.name}`;
        const record = (t0: number) => {
          const t = timings.get(key) ?? { calls: 0, ms: 0 };
          t.calls += 1;
          t.ms += performance.now() - t0;
          timings.set(key, t);
        };
        const wrapError = (err: unknown) => (err instanceof PluginError || err instanceof NonFiniteError ? err : new PluginError(tap.name, hookName, err));
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

/** Replaces the states map (first argument) by the slot of the plugin named `owner`. */
function scopeState(fn: (...args: unknown[]) => unknown, owner: string, hookName: string): (...args: unknown[]) => unknown {
  return (states: unknown, ...rest: unknown[]) => {
    const map = states as PluginStates;
    const slot: PluginStateSlot = {
      get: () => (hookName === 'restore' ? map.get(owner) : undefined),
      set: (state: PluginState) => {
        if (hookName !== 'checkpoint') throw new GrokscopeError('E_PLUGIN_STATE', `plugin "${owner}" may save its state only in the checkpoint hook`);
        if (map.has(owner)) {
          throw new GrokscopeError('E_PLUGIN_STATE', `two plugins named "${owner}" both save checkpoint state; give each plugin a unique name`);
        }
        map.set(owner, state);
      },
    };
    return fn(slot, ...rest);
  };
}
