import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';
import YAML from 'yaml';
import type { RunConfig } from './configSchema';
import { PRESETS } from './presets';
import { validateConfig } from './validateConfig';

export interface ConfigSources {
  readonly preset?: string;
  readonly file?: string;
  /** `path.to.field=value` overrides; values parse as JSON when they can. */
  readonly set?: readonly string[];
  /** Already-parsed overrides (flags like --steps), applied last. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** preset → file → --set → flags, deep-merged, then validated. */
export function loadConfig(sources: ConfigSources): RunConfig {
  let raw: Record<string, unknown> = {};
  if (sources.preset !== undefined) raw = structuredClone(presetConfig(sources.preset));
  if (sources.file !== undefined) raw = deepMerge(raw, readConfigFile(sources.file));
  for (const assignment of sources.set ?? []) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new ConfigError('--set', `"${assignment}" is not path=value (e.g. --set model.dModel=64)`);
    setPath(raw, assignment.slice(0, eq), parseValue(assignment.slice(eq + 1)));
  }
  for (const [k, v] of Object.entries(sources.overrides ?? {})) if (v !== undefined) setPath(raw, k, v);
  if (sources.preset === undefined && sources.file === undefined) {
    throw new ConfigError('config', `give --preset (${Object.keys(PRESETS).join(', ')}) or --config FILE`);
  }
  return validateConfig(raw, sources.file ?? `preset ${sources.preset}`);
}

export function presetConfig(name: string): Record<string, unknown> {
  const p = PRESETS[name];
  if (!p) throw new ConfigError('preset', `unknown preset "${name}"; choose one of ${Object.keys(PRESETS).join(', ')}`);
  return p;
}

export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('config', `cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const data = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('the top level must be an object');
    return data as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError('config', `${path.basename(file)} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`);
  }
}

export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let cur: Record<string, unknown> = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
