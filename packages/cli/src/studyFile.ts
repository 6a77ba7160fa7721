import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';
import { readConfigFile } from './loadConfig';

/** The parts a study's conditions play in the claims (analysis's `StudyRoles`). */
export const STUDY_ROLES = ['baseline', 'intervention', 'intervention2', 'normMatched', 'mlp', 'nonAbelian'] as const;

/**
 * A study definition: an ordinary sweep (`base`, `grid`, `conditions`) plus which condition plays
 * which part in the claims (`roles`). The study files shipped with the CLI live in
 * `packages/cli/studies/` (docs/reproduce.md says how to add a condition or a claim).
 */
export interface StudySpec {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly roles: { readonly baseline: readonly string[] } & Partial<
    Record<Exclude<(typeof STUDY_ROLES)[number], 'baseline'>, string>
  >;
  /** The sweep, as a sweep file would hold it (its `out` is set by `reproduce`). */
  readonly sweep: Record<string, unknown>;
}

const FIELDS = ['name', 'description', 'roles', 'sweep'];

/** The study files that ship with the CLI, by scale. */
export function builtinStudy(scale: string): string {
  const file = path.join(__dirname, '..', 'studies', `${scale}.yaml`);
  if (!fs.existsSync(file)) {
    const known = fs
      .readdirSync(path.join(__dirname, '..', 'studies'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    throw new ConfigError(
      '--scale',
      `got "${scale}"; the studies shipped are ${known.join(', ')} (or give --study FILE)`,
    );
  }
  return file;
}

/** Reads and checks a study file: every field named, every role a condition of the grid. */
export function readStudy(file: string): StudySpec {
  const raw = readConfigFile(file);
  for (const k of Object.keys(raw))
    if (!FIELDS.includes(k)) throw new ConfigError(`study.${k}`, `unknown field; a study has ${FIELDS.join(', ')}`);
  const { name, description, roles, sweep } = raw as Record<string, unknown>;
  if (typeof name !== 'string' || !/^[\w.-]+$/.test(name))
    throw new ConfigError('study.name', `got ${JSON.stringify(name)}; expected a short name (letters, digits, . _ -)`);
  if (typeof sweep !== 'object' || sweep === null || Array.isArray(sweep))
    throw new ConfigError('study.sweep', 'missing: the sweep (base, grid, conditions) that runs the study');
  const sw = sweep as Record<string, unknown>;
  if ('out' in sw)
    throw new ConfigError('study.sweep.out', 'remove it: reproduce puts the runs in --out (default runs/study-<name>)');
  const grid = sw['grid'] as Record<string, unknown> | undefined;
  const conditions = Array.isArray(grid?.['condition']) ? (grid!['condition'] as unknown[]).map(String) : [];
  if (!Array.isArray(grid?.['seed']))
    throw new ConfigError(
      'study.sweep.grid.seed',
      'missing: a study repeats each condition over seeds (--seeds N replaces the list)',
    );
  if (typeof roles !== 'object' || roles === null || Array.isArray(roles))
    throw new ConfigError('study.roles', `missing: which condition plays which part (${STUDY_ROLES.join(', ')})`);
  const r = roles as Record<string, unknown>;
  for (const [k, v] of Object.entries(r)) {
    if (!(STUDY_ROLES as readonly string[]).includes(k))
      throw new ConfigError(`study.roles.${k}`, `unknown role; roles are ${STUDY_ROLES.join(', ')}`);
    const names = k === 'baseline' ? v : [v];
    if (!Array.isArray(names) || names.length === 0 || names.some((c) => typeof c !== 'string')) {
      throw new ConfigError(
        `study.roles.${k}`,
        `got ${JSON.stringify(v)}; expected ${k === 'baseline' ? 'a list of condition names' : 'a condition name'}`,
      );
    }
    for (const c of names as string[])
      if (!conditions.includes(c))
        throw new ConfigError(`study.roles.${k}`, `"${c}" is not in sweep.grid.condition (${conditions.join(', ')})`);
  }
  if (r['baseline'] === undefined)
    throw new ConfigError('study.roles.baseline', 'missing: the abelian Transformer baseline condition(s)');
  return {
    file: path.resolve(file),
    name,
    description: typeof description === 'string' ? description : '',
    roles: r as StudySpec['roles'],
    sweep: sw,
  };
}

/** The sweep file `reproduce` writes into the study's folder and runs: the study's sweep, `out` set, seeds 0..n−1 if asked. */
export function studySweep(study: StudySpec, out: string, seeds?: number): Record<string, unknown> {
  const sweep = structuredClone(study.sweep);
  const grid = { ...(sweep['grid'] as Record<string, unknown>) };
  if (seeds !== undefined) grid['seed'] = [...Array(seeds).keys()];
  // Relative paths in the study (a config file as base, plugin modules) stay relative to the study file.
  const base = sweep['base'];
  if (typeof base === 'string' && /\.(json|ya?ml)$/i.test(base))
    sweep['base'] = path.resolve(path.dirname(study.file), base);
  return { ...sweep, grid, out: path.resolve(out) };
}
