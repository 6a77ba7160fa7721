import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';
import { deepMerge, presetConfig, readConfigFile, setPath } from './loadConfig';
import { validateConfig } from './validateConfig';
import type { RunConfig } from './configSchema';

/** A sweep file: a base config, a grid over config paths, per-condition overrides, an output folder. */
export interface SweepSpec {
  readonly base: string | Record<string, unknown>;
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

const REF = /\{run:([^}]*)\}/g;

export function readSweep(file: string): SweepSpec {
  const raw = readConfigFile(file) as Partial<SweepSpec>;
  const allowed = ['base', 'out', 'grid', 'conditions'];
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) throw new ConfigError(`sweep.${k}`, `unknown field; a sweep has ${allowed.join(', ')}`);
  if (raw.base === undefined) throw new ConfigError('sweep.base', 'missing: give a preset name or a config object');
  if (typeof raw.grid !== 'object' || raw.grid === null) throw new ConfigError('sweep.grid', 'missing: give an object of config path → list of values, e.g. { "seed": [0, 1, 2] }');
  for (const [k, v] of Object.entries(raw.grid)) if (!Array.isArray(v) || v.length === 0) throw new ConfigError(`sweep.grid.${k}`, `must be a non-empty list, got ${JSON.stringify(v)}`);
  const out = raw.out ?? path.join('runs', path.basename(file).replace(/\.(json|ya?ml)$/i, ''));
  return { base: raw.base, grid: raw.grid, conditions: raw.conditions, out: path.resolve(path.dirname(file), out) };
}

/**
 * Expands the grid (in the grid's key order, first key slowest) into runs with stable names.
 * `{run:k=v,…}` in any string value names another run: this run's grid point with those keys
 * replaced. It becomes that run's directory and a dependency.
 */
export function expandSweep(spec: SweepSpec): PlannedRun[] {
  const base = typeof spec.base === 'string' ? presetConfig(spec.base) : spec.base;
  const keys = Object.keys(spec.grid);
  const points: Record<string, unknown>[] = [{}];
  for (const k of keys) {
    const next: Record<string, unknown>[] = [];
    for (const p of points) for (const v of spec.grid[k]!) next.push({ ...p, [k]: v });
    points.splice(0, points.length, ...next);
  }
  const nameOf = (p: Record<string, unknown>) => keys.map((k) => `${k}=${String(p[k])}`).join(',');
  const names = new Set(points.map(nameOf));
  return points.map((point) => {
    let raw: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
    const condition = point['condition'];
    if (typeof condition === 'string' && spec.conditions?.[condition]) raw = deepMerge(raw, spec.conditions[condition]!);
    for (const [k, v] of Object.entries(point)) setPath(raw, k, v);
    const name = nameOf(point);
    const dependsOn: string[] = [];
    raw = mapStrings(raw, (s) =>
      s.replace(REF, (_m, body: string) => {
        const other = { ...point };
        for (const pair of body.split(',').filter(Boolean)) {
          const [k, v] = pair.split('=');
          if (!k || v === undefined || !keys.includes(k)) throw new ConfigError(`sweep reference {run:${body}}`, `"${pair}" must be key=value with a grid key (${keys.join(', ')})`);
          other[k] = coerce(v, spec.grid[k]!);
        }
        const ref = nameOf(other);
        if (!names.has(ref)) throw new ConfigError(`sweep reference {run:${body}}`, `names run "${ref}", which the grid does not contain`);
        if (ref === name) throw new ConfigError(`sweep reference {run:${body}}`, `run "${name}" refers to itself`);
        dependsOn.push(ref);
        return path.join(spec.out, ref);
      }),
    ) as Record<string, unknown>;
    return { name, dir: path.join(spec.out, name), config: validateConfig(raw, `sweep run ${name}`), dependsOn };
  });
}

/**
 * The runs of shard i of n. Runs linked by dependencies form groups that always share a shard
 * (so a norm-matched run never waits on another machine); groups, ordered by their first run's
 * name, are dealt round-robin.
 */
export function shardRuns(runs: readonly PlannedRun[], index: number, count: number): PlannedRun[] {
  if (!(Number.isInteger(count) && count > 0 && Number.isInteger(index) && index >= 0 && index < count)) {
    throw new ConfigError('--shard', `must be i/n with 0 ≤ i < n, got ${index}/${count}`);
  }
  const parent = new Map(runs.map((r) => [r.name, r.name]));
  const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!));
  for (const r of runs) for (const d of r.dependsOn) parent.set(find(r.name), find(d));
  const groups = new Map<string, PlannedRun[]>();
  for (const r of runs) groups.set(find(r.name), [...(groups.get(find(r.name)) ?? []), r]);
  const ordered = [...groups.values()].sort((a, b) => minName(a).localeCompare(minName(b)));
  return ordered.filter((_, k) => k % count === index).flat();
}

const minName = (rs: readonly PlannedRun[]) => rs.map((r) => r.name).sort()[0]!;

function coerce(text: string, values: readonly unknown[]): unknown {
  return values.find((v) => String(v) === text) ?? text;
}

function mapStrings(x: unknown, f: (s: string) => string): unknown {
  if (typeof x === 'string') return f(x);
  if (Array.isArray(x)) return x.map((v) => mapStrings(v, f));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, mapStrings(v, f)]));
  return x;
}
