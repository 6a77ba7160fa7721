import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';
import type { RunConfig } from './configSchema';
import { manifestConfig, mergeConfig, presetConfig } from './loadConfig';
import { readConfigFile, resolveConfigPaths, setConfigPath } from './loadConfig';
import { isPrototypeKey, prototypeKeyError } from './prototypeKeys';
import { DEFAULT_PRESET } from './trainCommand';
import { validateConfig } from './validateConfig';

/**
 * A sweep file: a base config (or preset name), a grid over config paths, per-condition
 * overrides, and the folder the runs go to (relative to the sweep file).
 */
export interface SweepSpec {
  readonly base: string | Record<string, unknown>;
  /** Absolute. */
  readonly out: string;
  readonly grid: Readonly<Record<string, readonly unknown[]>>;
  readonly conditions?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface PlannedRun {
  /** Stable name from the grid point, e.g. `seed=0,condition=baseline`. */
  readonly name: string;
  readonly dir: string;
  readonly config: RunConfig;
  /** Names of runs that must complete first (references like `{run:condition=entropy-floor}`). */
  readonly dependsOn: readonly string[];
}

/** `{run:condition=entropy-floor}`, `{run:entropy-floor}` (a condition), `${run:…}` alike. */
const REF = /\$?\{run:([^}]*)\}/g;
const SWEEP_FIELDS = ['base', 'out', 'grid', 'conditions'];

/** Reads and checks a sweep file. `outOverride` replaces its `out` (e.g. a cluster's shared volume). */
export function readSweep(file: string, outOverride?: string): SweepSpec {
  const raw = readConfigFile(file);
  const dir = path.dirname(path.resolve(file));
  for (const k of Object.keys(raw))
    if (!SWEEP_FIELDS.includes(k))
      throw new ConfigError(`sweep.${k}`, `unknown field; a sweep has ${SWEEP_FIELDS.join(', ')}`);
  const { base, grid, conditions, out } = raw as Record<string, unknown>;
  if (base === undefined)
    throw new ConfigError(
      'sweep.base',
      'missing: give a preset name (e.g. "quick"), a config file (relative to the sweep file) or a config object',
    );
  if (typeof base !== 'string' && (typeof base !== 'object' || base === null || Array.isArray(base))) {
    throw new ConfigError('sweep.base', `got ${JSON.stringify(base)}; expected a preset name or a config object`);
  }
  if (typeof grid !== 'object' || grid === null || Array.isArray(grid)) {
    throw new ConfigError(
      'sweep.grid',
      `got ${JSON.stringify(grid)}; expected an object of config path → list of values, e.g. { "seed": [0, 1, 2] }`,
    );
  }
  for (const [k, v] of Object.entries(grid)) {
    // A grid key is a config path (`optimizer.lr`): each of its steps must be a real field.
    const bad = k.split('.').find(isPrototypeKey);
    if (bad !== undefined) throw prototypeKeyError(`sweep.grid.${k}`, bad);
    if (!Array.isArray(v) || v.length === 0)
      throw new ConfigError(`sweep.grid.${k}`, `got ${JSON.stringify(v)}; expected a non-empty list of values`);
    if (new Set(v.map((x) => JSON.stringify(x))).size !== v.length)
      throw new ConfigError(`sweep.grid.${k}`, `got ${JSON.stringify(v)}; the values must differ`);
  }
  if (conditions !== undefined) {
    if (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions)) {
      throw new ConfigError(
        'sweep.conditions',
        `got ${JSON.stringify(conditions)}; expected an object of condition name → config overrides`,
      );
    }
    const listed = ((grid as Record<string, unknown[]>)['condition'] ?? []).map(String);
    for (const [name, v] of Object.entries(conditions)) {
      if (!listed.includes(name))
        throw new ConfigError(
          `sweep.conditions.${name}`,
          `no grid point has condition "${name}"; add it to grid.condition (now ${JSON.stringify(listed)})`,
        );
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new ConfigError(
          `sweep.conditions.${name}`,
          `got ${JSON.stringify(v)}; expected config overrides such as { "interventions": [...] }`,
        );
      resolveConfigPaths(v as Record<string, unknown>, dir);
    }
  }
  if (out !== undefined && (typeof out !== 'string' || out === ''))
    throw new ConfigError('sweep.out', `got ${JSON.stringify(out)}; expected a folder path`);
  const outDir =
    outOverride !== undefined
      ? path.resolve(outOverride)
      : path.resolve(
          dir,
          (out as string | undefined) ?? path.join('runs', path.basename(file).replace(/\.(json|ya?ml)$/i, '')),
        );
  let baseConfig: string | Record<string, unknown>;
  if (typeof base === 'string' && /\.(json|ya?ml)$/i.test(base)) {
    const baseFile = path.resolve(dir, base);
    const data = readConfigFile(baseFile, { resolvePaths: true });
    baseConfig = manifestConfig(data, baseFile) ?? overDefaultPreset(data);
  } else if (typeof base === 'string') {
    presetConfig(base); // an unknown preset is an error now, naming the presets there are
    baseConfig = base;
  } else {
    resolveConfigPaths(base as Record<string, unknown>, dir);
    baseConfig = overDefaultPreset(base as Record<string, unknown>);
  }
  return {
    base: baseConfig,
    grid: grid as SweepSpec['grid'],
    conditions: conditions as SweepSpec['conditions'],
    out: outDir,
  };
}

/**
 * A base config (an object, or a config file) fills in what it leaves out from the quick preset,
 * except the preset's name, exactly as `train --config FILE` does: a sweep of a config file
 * trains the runs `train --config` would. A run's manifest.json stays the whole config.
 */
function overDefaultPreset(config: Record<string, unknown>): Record<string, unknown> {
  const { name: _name, ...preset } = presetConfig(DEFAULT_PRESET);
  return mergeConfig(preset, config);
}

/**
 * Expands the grid (in the grid's key order, first key slowest) into runs with stable names
 * (`seed=0,condition=baseline`). Per run: base → `conditions[its condition]` → grid values.
 * `{run:k=v,…}` in any string value names another run — this run's grid point with those keys
 * replaced (`{run:entropy-floor}` is short for `{run:condition=entropy-floor}`); it becomes
 * that run's directory and a dependency.
 */
export function expandSweep(spec: SweepSpec): PlannedRun[] {
  const base = typeof spec.base === 'string' ? presetConfig(spec.base) : spec.base;
  const keys = Object.keys(spec.grid);
  let points: Record<string, unknown>[] = [{}];
  for (const k of keys) points = points.flatMap((p) => spec.grid[k]!.map((v) => ({ ...p, [k]: v })));
  const nameOf = (p: Record<string, unknown>) => keys.map((k) => `${k}=${valueName(p[k])}`).join(',');
  const names = new Map<string, Record<string, unknown>>();
  for (const p of points) {
    const n = nameOf(p);
    if (names.has(n))
      throw new ConfigError(
        `sweep.grid`,
        `two grid points share the run name "${n}"; make the values differ in their text`,
      );
    names.set(n, p);
  }
  return points.map((point) => {
    let raw = structuredClone(base) as Record<string, unknown>;
    const condition = point['condition'];
    // Own keys only: a condition named like an Object.prototype member (`constructor`) has no overrides.
    if (typeof condition === 'string' && spec.conditions && Object.hasOwn(spec.conditions, condition))
      raw = mergeConfig(raw, structuredClone(spec.conditions[condition]!));
    for (const [k, v] of Object.entries(point)) setConfigPath(raw, k, structuredClone(v), `sweep.grid.${k}`);
    const name = nameOf(point);
    const dependsOn = new Set<string>();
    raw = mapStrings(raw, (s) =>
      s.replace(REF, (_m, body: string) => {
        const where = `sweep reference {run:${body}}`;
        const other = { ...point };
        for (const pair of body.split(',').filter(Boolean)) {
          const eq = pair.indexOf('=');
          const [k, v] = eq < 0 ? ['condition', pair] : [pair.slice(0, eq), pair.slice(eq + 1)];
          if (!keys.includes(k))
            throw new ConfigError(where, `"${pair}": "${k}" is not a grid key (${keys.join(', ')})`);
          other[k] = coerce(v, spec.grid[k]!);
        }
        const ref = nameOf(other);
        if (!names.has(ref))
          throw new ConfigError(where, `in run "${name}" names run "${ref}", which the grid does not contain`);
        if (ref === name) throw new ConfigError(where, `run "${name}" refers to itself`);
        dependsOn.add(ref);
        return path.join(spec.out, ref);
      }),
    ) as Record<string, unknown>;
    return {
      name,
      dir: path.join(spec.out, name),
      config: validateConfig(raw, `sweep run ${name}`),
      dependsOn: [...dependsOn],
    };
  });
}

/**
 * The runs of shard `index` of `count`. Runs linked by dependencies form groups that always
 * share a shard, so a norm-matched run never waits on another machine; the groups, ordered by
 * their first run's name, are dealt round-robin. Every process computes the same assignment
 * from the sweep file alone.
 */
export function shardRuns(runs: readonly PlannedRun[], index: number, count: number): PlannedRun[] {
  if (!(Number.isInteger(count) && count > 0 && Number.isInteger(index) && index >= 0 && index < count)) {
    throw new ConfigError('--shard', `got ${index}/${count}; expected i/n with integers 0 ≤ i < n, e.g. 0/4`);
  }
  const parent = new Map(runs.map((r) => [r.name, r.name]));
  const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!));
  for (const r of runs) for (const d of r.dependsOn) parent.set(find(r.name), find(d));
  const groups = new Map<string, PlannedRun[]>();
  for (const r of runs) groups.set(find(r.name), [...(groups.get(find(r.name)) ?? []), r]);
  const ordered = [...groups.values()].sort((a, b) => minName(a).localeCompare(minName(b)));
  return ordered.filter((_, k) => k % count === index).flat();
}

/** "i/n" → [i, n] */
export function parseShard(text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new ConfigError('--shard', `got "${text}"; expected i/n, e.g. 0/4 (shard 0 of 4)`);
  return [Number(m[1]), Number(m[2])];
}

const minName = (rs: readonly PlannedRun[]) => rs.map((r) => r.name).sort()[0]!;

/** A grid value as it appears in a run name: text for scalars, compact JSON otherwise; no path separators. */
function valueName(v: unknown): string {
  const text = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return text.replace(/[/\\]/g, '_');
}

function coerce(text: string, values: readonly unknown[]): unknown {
  return values.find((v) => valueName(v) === text) ?? text;
}

function mapStrings(x: unknown, f: (s: string) => string): unknown {
  if (typeof x === 'string') return f(x);
  if (Array.isArray(x)) return x.map((v) => mapStrings(v, f));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, mapStrings(v, f)]));
  return x;
}
