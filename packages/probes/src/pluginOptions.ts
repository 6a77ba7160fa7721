import { didYouMean } from '@grokscope/base';
import { ConfigError } from '@grokscope/core';

/**
 * The options a built-in plugin takes, declared next to its factory, so a config's `options`
 * are checked as strictly as the rest of the config: a misspelt name (`lamda`) or a value of the
 * wrong type is a `ConfigError` naming the field as the config spells it, instead of an option
 * silently ignored. Deliberately tiny and declarative (probes carries no schema library).
 * Defaults stay in the factories; a schema only says what may be given.
 */
export type OptionSpec = NumberOption | StringOption;

export interface NumberOption {
  readonly type: 'number' | 'integer';
  /** Inclusive bounds, unless the matching `…Exclusive` is set. */
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  readonly required?: boolean;
}

export interface StringOption {
  readonly type: 'string';
  /** The allowed values; absent: any non-empty string. */
  readonly oneOf?: readonly string[];
  readonly required?: boolean;
  /** What the string names, for the "missing" message (e.g. "the path of a reference run"). */
  readonly describe?: string;
}

/** Option name → what it accepts, in the order the "allowed:" list shows them. */
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

/**
 * Throws a `ConfigError` for the first option `schema` does not accept. `where` is the plugin
 * entry as the config spells it (`interventions[0]`); fields are reported as `<where>.options.<name>`.
 */
export function checkPluginOptions(plugin: string, schema: OptionSchema, options: unknown, where: string): void {
  const field = `${where}.options`;
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(field, `got ${JSON.stringify(options)}; expected an object of options for "${plugin}"`);
  }
  const given = options as Record<string, unknown>;
  const allowed = Object.keys(schema);
  for (const key of Object.keys(given)) {
    // Own keys only: `__proto__` from JSON.parse is an own key and must not match Object.prototype.
    if (Object.hasOwn(schema, key)) continue;
    if (allowed.length === 0) throw new ConfigError(`${field}.${key}`, `unknown option; "${plugin}" takes no options (remove it)`);
    const near = didYouMean(key, allowed);
    throw new ConfigError(`${field}.${key}`, `unknown option; ${near ? `did you mean ${near}? ` : ''}allowed: ${allowed.join(', ')}`);
  }
  for (const [key, spec] of Object.entries(schema)) {
    const problem = checkValue(spec, given[key]);
    if (problem) throw new ConfigError(`${field}.${key}`, problem);
  }
}

function checkValue(spec: OptionSpec, value: unknown): string | undefined {
  if (value === undefined) {
    if (!spec.required) return undefined;
    return `missing; expected ${expected(spec)}${spec.type === 'string' && spec.describe ? ` (${spec.describe})` : ''}`;
  }
  const got = `got ${JSON.stringify(value) ?? String(value)}`;
  if (spec.type === 'string') {
    if (typeof value !== 'string' || value === '') return `${got}; expected ${expected(spec)}`;
    if (spec.oneOf && !spec.oneOf.includes(value)) return `${got}; allowed: ${spec.oneOf.map((v) => JSON.stringify(v)).join(', ')}`;
    return undefined;
  }
  // YAML can spell .inf and .nan; neither is a usable setting.
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${typeof value === 'number' ? `got ${value}` : got}; expected ${expected(spec)}`;
  if (spec.type === 'integer' && !Number.isInteger(value)) return `${got}; expected ${expected(spec)}`;
  if (spec.min !== undefined && (spec.minExclusive ? value <= spec.min : value < spec.min)) return `${got}; must be ${spec.minExclusive ? '>' : '≥'} ${spec.min}`;
  if (spec.max !== undefined && (spec.maxExclusive ? value >= spec.max : value > spec.max)) return `${got}; must be ${spec.maxExclusive ? '<' : '≤'} ${spec.max}`;
  return undefined;
}

function expected(spec: OptionSpec): string {
  if (spec.type === 'string') return spec.oneOf ? `one of ${spec.oneOf.map((v) => JSON.stringify(v)).join(', ')}` : 'a non-empty string';
  return spec.type === 'integer' ? 'an integer' : 'a number';
}
