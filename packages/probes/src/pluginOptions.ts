import { parseConfig } from '@grokscope/base';
import { ConfigError } from '@grokscope/core';
import { z } from 'zod';

/**
 * The options a built-in plugin takes, declared next to its factory as a zod strict object (every
 * field optional unless the plugin needs it), so a config's `options` are checked as strictly as
 * the rest of the config and read the same: a misspelt name (`lamda`) or a value of the wrong
 * type is a `ConfigError` naming the field as the config spells it, instead of an option
 * silently ignored. Defaults stay in the factories; a schema only says what may be given.
 */
export type OptionSchema = z.ZodObject;

/** A non-empty string option (a tap, a tag, a path); `what` says what it names, for the error when it is missing. */
export const stringOption = (what?: string) =>
  (what === undefined ? z.string() : z.string({ error: `expected a non-empty string (${what})` })).min(1);

/**
 * Throws a `ConfigError` for the options `schema` does not accept (base's `parseConfig`: field,
 * value, what is allowed, the name most likely meant). `where` is the plugin entry as the config
 * spells it (`interventions[0]`); fields are reported as `<where>.options.<name>`.
 */
export function checkPluginOptions(plugin: string, schema: OptionSchema, options: unknown, where: string): void {
  const field = `${where}.options`;
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(field, `got ${JSON.stringify(options)}; expected an object of options for "${plugin}"`);
  }
  const allowed = Object.keys(schema.shape);
  const first = Object.keys(options)[0];
  if (allowed.length === 0 && first !== undefined)
    throw new ConfigError(`${field}.${first}`, `unknown option; "${plugin}" takes no options (remove it)`);
  parseConfig(schema, options, [where, 'options']);
}
