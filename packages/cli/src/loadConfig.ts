import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';
import YAML from 'yaml';
import { allowedFields, type RunConfig } from './configSchema';
import { PRESETS } from './presets';
import { isPrototypeKey, MAX_CONFIG_DEPTH, prototypeKeyError, refusePrototypeKeys } from './prototypeKeys';
import { validateConfig } from './validateConfig';

export interface ConfigSources {
  /** A preset name (`paper`, `quick`, `s5`, `mlp`). */
  readonly preset?: string;
  /**
   * A JSON or YAML config file, merged over the preset; or a run's `manifest.json`, whose
   * config is then the whole starting point (no preset): the same run again.
   */
  readonly file?: string;
  /**
   * The preset under a config file when none is named (train: `quick`, as its --help says). It
   * fills in what the file leaves out, except its `name`: the run is not that preset. Not used
   * under a run manifest, a `base`, or with no file.
   */
  readonly defaultPreset?: string;
  /** A config object to start from instead of a preset (e.g. a run's manifest config). */
  readonly base?: Readonly<Record<string, unknown>>;
  /** `path.to.field=value` overrides; values parse as JSON when they can. */
  readonly set?: readonly string[];
  /** Already-parsed overrides (flags like --steps), applied last. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** base or preset → file → --set → flags, deep-merged, then validated. */
export function loadConfig(sources: ConfigSources): RunConfig {
  if (sources.preset === undefined && sources.file === undefined && sources.base === undefined) {
    throw new ConfigError('config', `give --preset (${Object.keys(PRESETS).join(', ')}) or --config FILE`);
  }
  const origin: string[] = [];
  let raw: Record<string, unknown> = {};
  const fileConfig = sources.file !== undefined ? readConfigFile(sources.file, { resolvePaths: true }) : undefined;
  const manifest =
    fileConfig !== undefined && sources.file !== undefined ? manifestConfig(fileConfig, sources.file) : undefined;
  if (manifest !== undefined && sources.preset !== undefined) {
    throw new ConfigError(
      '--preset',
      `${sources.file} is a run's manifest.json, which holds that run's whole config; drop --preset (change fields with --set or flags like --steps)`,
    );
  }
  if (sources.base !== undefined) {
    refusePrototypeKeys(sources.base, '', 'the stored run config');
    raw = structuredClone(sources.base) as Record<string, unknown>;
    origin.push('the stored run config');
  }
  if (sources.preset !== undefined) {
    raw = mergeConfig(raw, presetConfig(sources.preset));
    origin.push(`preset ${sources.preset}`);
  } else if (
    sources.defaultPreset !== undefined &&
    fileConfig !== undefined &&
    manifest === undefined &&
    sources.base === undefined
  ) {
    const { name: _name, ...preset } = presetConfig(sources.defaultPreset);
    raw = mergeConfig(raw, preset);
    origin.push(`preset ${sources.defaultPreset} (the default)`);
  }
  if (manifest !== undefined) {
    raw = mergeConfig(raw, manifest);
    origin.push(`the config in ${sources.file}`);
  } else if (fileConfig !== undefined) {
    raw = mergeConfig(raw, fileConfig);
    origin.push(sources.file!);
  }
  // A change of task or model kind applies first, so `--set task.n=7 --set task.kind=dihedral` works in any order.
  const sets = (sources.set ?? []).map((text) => [...parseAssignment(text), text] as const);
  for (const [k, v, text] of [
    ...sets.filter(([k]) => k.endsWith('.kind')),
    ...sets.filter(([k]) => !k.endsWith('.kind')),
  ])
    setConfigPath(raw, k, v, `--set ${text}`);
  if (sets.length) origin.push(sets.map(([k]) => `--set ${k}`).join(' '));
  const flags = Object.entries(sources.overrides ?? {}).filter(([, v]) => v !== undefined);
  for (const [k, v] of flags) setConfigPath(raw, k, v);
  return validateConfig(raw, origin.join(' + '));
}

/**
 * A run's `manifest.json` given as a config file (`train --config runs/x/manifest.json`): its
 * `config`, with relative paths resolved from the manifest's folder. `undefined` for an ordinary
 * config file: a run config has no `config`, `versions` or `createdAt` field (unknown fields are
 * errors), so the two cannot be confused.
 */
export function manifestConfig(data: Record<string, unknown>, file: string): Record<string, unknown> | undefined {
  if (!('config' in data && 'createdAt' in data && 'versions' in data)) return undefined;
  const config = data['config'];
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(
      'config',
      `${file} looks like a run's manifest.json but its "config" is ${JSON.stringify(config)?.slice(0, 60)}, not a config object; give the run's own manifest, or a config file`,
    );
  }
  const out = structuredClone(config) as Record<string, unknown>;
  resolveConfigPaths(out, path.dirname(path.resolve(file)));
  return out;
}

export function presetConfig(name: string): Record<string, unknown> {
  const p = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!p) throw new ConfigError('preset', `unknown preset "${name}"; choose one of ${Object.keys(PRESETS).join(', ')}`);
  return structuredClone(p) as Record<string, unknown>;
}

/**
 * Reads a JSON or YAML object. With `resolvePaths`, relative paths a run config names (plugin
 * `module`s starting with `.`, a Cayley table's `task.path`) become absolute, resolved from the
 * file's folder, so a config means the same thing from any working directory.
 */
export function readConfigFile(file: string, o: { resolvePaths?: boolean } = {}): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      'config',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  const yaml = /\.ya?ml$/i.test(file);
  let data: unknown;
  try {
    data = yaml ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    // The YAML parser recurses per level: thousands of levels overflow the stack before our own
    // depth check sees the value. Same answer as for JSON that deep.
    if (err instanceof RangeError) {
      throw new ConfigError(
        'config',
        `${file} nests more than ${MAX_CONFIG_DEPTH} levels deep; no config field is nested that deep, check the file`,
      );
    }
    // YAML's message ends "at line 3, column 1:" followed by the lines there and a caret under
    // the column: keep them (the first line alone points at nothing), less the blank line.
    const where = (err as Error).message.trimEnd().replace(/:\n\n/, ':\n');
    throw new ConfigError('config', `${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${where}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(
      'config',
      `${file} must hold an object at the top level (fields like task, model, train), got ${JSON.stringify(data)?.slice(0, 60)}`,
    );
  }
  refusePrototypeKeys(data, '', file);
  const out = data as Record<string, unknown>;
  if (o.resolvePaths) resolveConfigPaths(out, path.dirname(path.resolve(file)));
  return out;
}

/** Makes the relative paths in a run config absolute (see `readConfigFile`). */
export function resolveConfigPaths(config: Record<string, unknown>, baseDir: string): void {
  const task = config['task'] as Record<string, unknown> | undefined;
  if (task && typeof task['path'] === 'string' && !path.isAbsolute(task['path']))
    task['path'] = path.resolve(baseDir, task['path']);
  for (const list of ['probes', 'interventions', 'task', 'model', 'optimizer']) {
    const refs = config[list];
    for (const ref of Array.isArray(refs) ? refs : isPlain(refs) ? [refs] : []) {
      const m = (ref as Record<string, unknown> | null)?.['module'];
      if (typeof m === 'string' && m.startsWith('.'))
        (ref as Record<string, unknown>)['module'] = path.resolve(baseDir, m);
    }
  }
}

export function parseAssignment(assignment: string): [string, unknown] {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ConfigError('--set', `"${assignment}" is not path=value (e.g. --set model.dModel=64)`);
  const dotted = assignment.slice(0, eq).trim();
  const bad = dotted.split('.').find(isPrototypeKey);
  if (bad !== undefined) throw prototypeKeyError(`--set ${dotted}`, bad);
  const value = parseValue(assignment.slice(eq + 1));
  refusePrototypeKeys(value, dotted, `--set ${dotted}=…`);
  return [dotted, value];
}

/** JSON when it parses (`64`, `true`, `[256]`, `{"a":1}`), the text itself otherwise (`add`). */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Sets `a.b.c` in `obj`, creating missing objects on the way. A step through something that is
 * there but not an object (`train` set to 5, a list) is an error rather than silently replacing
 * it with {} and losing what it held. `where` names the setting in errors (`--set train.steps=5`).
 */
export function setPath(obj: Record<string, unknown>, dotted: string, value: unknown, where = dotted): void {
  const keys = dotted.split('.');
  const bad = keys.find(isPrototypeKey);
  if (bad !== undefined) throw prototypeKeyError(where, bad);
  let cur: Record<string, unknown> = obj;
  keys.slice(0, -1).forEach((k, i) => {
    const next = Object.hasOwn(cur, k) ? cur[k] : undefined;
    if (next !== undefined && !isPlain(next)) {
      const inside = keys.slice(0, i + 1).join('.');
      const shown = JSON.stringify(next);
      const set = where.startsWith('--set') ? '--set ' : '';
      throw new ConfigError(
        where,
        `${inside} is ${shown.length > 60 ? `${shown.slice(0, 57)}…` : shown}, not an object, so it has no field "${keys[i + 1]}"; set ${inside} itself instead (${set}${inside}=…)`,
      );
    }
    if (next === undefined) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  });
  cur[keys[keys.length - 1]!] = value;
}

/** Config sections that are objects of fields: replacing one with a single value would drop all its fields. */
const SECTIONS = ['task', 'model', 'optimizer', 'train', 'thresholds'];

/**
 * `setPath` for run configs: setting `task.kind` or `model.kind` to another kind starts that
 * object afresh (keeping `task.trainFraction` and `task.split`), since the old kind's fields would not fit.
 */
export function setConfigPath(obj: Record<string, unknown>, dotted: string, value: unknown, where = dotted): void {
  if (SECTIONS.includes(dotted) && !isPlain(value)) {
    const prev = obj[dotted];
    const fields = (allowedFields(dotted, isPlain(prev) ? prev['kind'] : undefined) ?? []).filter((f) => f !== 'kind');
    const example = `${where.startsWith('--set') ? '--set ' : ''}${dotted}.${fields[0] ?? 'FIELD'}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
    throw new ConfigError(
      where,
      `${dotted} is a section of fields${fields.length ? ` (${fields.join(', ')})` : ''}, not a single value; set a field inside it instead, e.g. ${example}`,
    );
  }
  const kindOf = /^(task|model)\.kind$/.exec(dotted);
  if (kindOf) {
    const section = kindOf[1]!;
    const prev = isPlain(obj[section]) ? (obj[section] as Record<string, unknown>) : {};
    if (prev['kind'] !== value) obj[section] = freshSection(section, prev, value);
    return;
  }
  setPath(obj, dotted, value, where);
}

/** Deep merge for run configs: objects merge, anything else replaces; a `task`/`model` of another kind replaces the old one. */
export function mergeConfig(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = deepMerge(a, b);
  for (const section of ['task', 'model', 'optimizer']) {
    const prev = a[section];
    const next = b[section];
    if (!isPlain(prev) || !isPlain(next)) continue;
    if (next['kind'] !== undefined && next['kind'] !== prev['kind']) {
      out[section] = { ...freshSection(section, prev, next['kind']), ...next };
    } else if (
      next['module'] !== undefined
        ? next['module'] !== prev['module']
        : prev['module'] !== undefined && (next['kind'] !== undefined || next['name'] !== undefined)
    ) {
      // A module entry and a built-in share no fields (docs/plugins.md § Tasks, models and optimisers of your own): start afresh.
      out[section] = { ...(section === 'task' ? splitFields(prev) : {}), ...next };
    }
  }
  // Another optimiser (a config file's sgd over the default preset's adamw) brings its own
  // settings; the old one's would not fit it.
  const [prevOpt, nextOpt] = [a['optimizer'], b['optimizer']];
  if (
    isPlain(prevOpt) &&
    isPlain(nextOpt) &&
    ['name', 'module'].some((k) => nextOpt[k] !== undefined && nextOpt[k] !== prevOpt[k])
  )
    out['optimizer'] = { ...nextOpt };
  return out;
}

function freshSection(section: string, prev: Record<string, unknown>, kind: unknown): Record<string, unknown> {
  return section === 'task' ? { kind, ...splitFields(prev) } : { kind };
}

/** A task's split settings, which every kind shares and so survive a change of kind. */
function splitFields(task: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of ['trainFraction', 'split']) if (task[f] !== undefined) out[f] = task[f];
  return out;
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
