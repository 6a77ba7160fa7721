import { GrokscopeError, RunStore } from '@grokscope/core';

/** What the CLI needs of a run's manifest.json: the config it was started with, and its seed. */
export interface StoredRun {
  readonly config: Record<string, unknown>;
  readonly seed: number;
}

/**
 * The manifest of the run in `store`, refused with E_RUN_DAMAGED unless it is one the CLI
 * wrote: an object with a `config` object, an integer `seed` and `versions["@grokscope/core"]`
 * — the rule analysis's `manifestProblems` applies. Without it, a manifest that lost its config
 * compared equal to any config (so the run was resumed and finished into a folder every reader
 * refuses), and a manifest of `null` crashed with a TypeError.
 */
export function readRunManifest(store: RunStore): StoredRun {
  const m: unknown = store.readManifest();
  const problems = manifestProblems(m);
  if (problems.length > 0) {
    throw new GrokscopeError(
      'E_RUN_DAMAGED',
      `${store.manifestPath} is damaged (${problems.join('; ')}), so the run cannot be resumed or reported; ` +
        'restore manifest.json if you have a copy, or delete the directory (or choose another --out) to start over',
    );
  }
  return m as StoredRun;
}

function manifestProblems(m: unknown): string[] {
  if (!isObject(m)) return [`it holds ${JSON.stringify(m)}, not a JSON object`];
  const r = m as Record<string, unknown>;
  const problems: string[] = [];
  const config = r['config'];
  if (config === undefined) problems.push('"config" is missing');
  else if (!isObject(config)) problems.push(`"config" is ${JSON.stringify(config)}, not an object`);
  if (r['seed'] === undefined) problems.push('"seed" is missing');
  else if (!Number.isInteger(r['seed'])) problems.push(`"seed" is ${JSON.stringify(r['seed'])}, not an integer`);
  const versions = r['versions'] as Record<string, unknown> | null | undefined;
  if (typeof versions !== 'object' || versions === null || typeof versions['@grokscope/core'] !== 'string') {
    problems.push('"versions" has no "@grokscope/core" entry');
  }
  return problems;
}

function isObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
