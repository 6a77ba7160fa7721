import { ConfigError } from '@grokscope/core';

/**
 * Keys that reach an object's prototype machinery rather than a field of it. JSON.parse (and
 * YAML) make `__proto__` an ordinary own key, but assigning it while merging (`out[k] = v`)
 * replaces the merged object's prototype: the key vanishes from validation and its fields
 * appear as inherited ones. No config field has these names, so they are refused wherever
 * keys enter a config: files, `--set` paths and values, sweep grids.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isPrototypeKey(key: string): boolean {
  return PROTOTYPE_KEYS.has(key);
}

/** The error for a prototype key at `field` (the path as the user spells it). */
export function prototypeKeyError(field: string, key: string, where?: string): ConfigError {
  return new ConfigError(
    field,
    `"${key}" is not allowed as a config key${where ? ` (in ${where})` : ''}; no config field has this name, remove it`,
  );
}

/**
 * The deepest nesting a config may have. No config field is more than a few levels deep; a
 * limit keeps this walk (and the merges and checks after it) from overflowing the stack on a
 * JSON file nested thousands deep, which YAML's parser already refuses with a config error.
 */
export const MAX_CONFIG_DEPTH = 64;

/**
 * Throws for the first prototype key anywhere in a parsed value, and for nesting deeper than
 * MAX_CONFIG_DEPTH. `prefix` is the path of `value` itself (empty at a file's top level);
 * `where` says which file or option it came from.
 */
export function refusePrototypeKeys(value: unknown, prefix = '', where?: string, depth = 0): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_CONFIG_DEPTH) {
    const at = prefix.length > 60 ? `${prefix.slice(0, 60)}…` : prefix;
    throw new ConfigError(
      prefix.split(/[.[]/)[0] || 'config',
      `nests more than ${MAX_CONFIG_DEPTH} levels deep (at ${at}${where ? ` in ${where}` : ''}); no config field is nested that deep, check the file`,
    );
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => refusePrototypeKeys(v, `${prefix}[${i}]`, where, depth + 1));
    return;
  }
  for (const key of Object.keys(value)) {
    const field = prefix ? `${prefix}.${key}` : key;
    if (isPrototypeKey(key)) throw prototypeKeyError(field, key, where);
    refusePrototypeKeys((value as Record<string, unknown>)[key], field, where, depth + 1);
  }
}
