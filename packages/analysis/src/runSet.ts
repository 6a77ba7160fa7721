import { dirParts, resolveDir } from './dirPath';
import { FINISHED_STATUSES } from '@grokscope/base';
import type { RunData } from './parseRun';

/**
 * Where a run stands: `finished` (summary.json with status completed or stopped) or
 * `unfinished` (no summary.json: still training or killed; or status interrupted or failed).
 * Only finished runs enter statistics; a finished run that never grokked is censored.
 */
export type RunState =
  | { readonly finished: true; readonly status: string; readonly stepReached: number }
  | {
      readonly finished: false;
      readonly status: string;
      readonly stepReached: number | null;
      readonly reason: string | null;
    };

export function runState(run: Pick<RunData, 'records' | 'summary'>): RunState {
  const lastRecord = run.records.length ? run.records[run.records.length - 1]!.step : null;
  const s = run.summary;
  if (s === null)
    return {
      finished: false,
      status: 'no summary.json (still training, or killed)',
      stepReached: lastRecord,
      reason: null,
    };
  const stepReached = Math.max(s.steps, lastRecord ?? -Infinity);
  if (FINISHED_STATUSES.includes(s.status)) return { finished: true, status: s.status, stepReached };
  const reason = (s as { reason?: unknown }).reason;
  return { finished: false, status: s.status, stepReached, reason: typeof reason === 'string' ? reason : null };
}

export interface DuplicateRun {
  /** The directory counted. */
  readonly kept: string;
  /** The directory left out. */
  readonly dropped: string;
  readonly why: 'same directory' | 'same run (a copy: same createdAt, seed and config in manifest.json)';
  readonly message: string;
}

/**
 * Each run once. Two entries are the same run when they are the same directory (after resolving
 * links: `readRun` records the real directory; runs parsed from text compare `dir`) or copies of one run: manifests with the same `createdAt`, `seed` and `config`. Of a
 * group, the most complete copy is kept (finished before unfinished, then the most records, then
 * the first given); the others are reported.
 */
export function dedupeRuns<R extends RunData>(runs: readonly R[]): { runs: R[]; duplicates: DuplicateRun[] } {
  const groups = new Map<string, number>(); // identity key → index into `kept`
  const kept: R[] = [];
  const dropped: { run: R; by: number; why: DuplicateRun['why'] }[] = [];
  for (const run of runs) {
    const keys: [string, DuplicateRun['why']][] = [[`dir:${run.realDir ?? resolveDir(run.dir)}`, 'same directory']];
    const copy = copyKey(run);
    if (copy !== null) keys.push([copy, 'same run (a copy: same createdAt, seed and config in manifest.json)']);
    const hit = keys.find(([k]) => groups.has(k));
    if (!hit) {
      for (const [k] of keys) groups.set(k, kept.length);
      kept.push(run);
      continue;
    }
    const i = groups.get(hit[0])!;
    for (const [k] of keys) if (!groups.has(k)) groups.set(k, i);
    if (moreComplete(run, kept[i]!)) {
      dropped.push({ run: kept[i]!, by: i, why: hit[1] });
      kept[i] = run;
    } else {
      dropped.push({ run, by: i, why: hit[1] });
    }
  }
  const duplicates = dropped.map(({ run, by, why }): DuplicateRun => {
    const k = kept[by]!.dir;
    const same = resolveDir(run.dir) === resolveDir(k);
    const message = same
      ? `${k} was given more than once; counted once`
      : `${run.dir} is the ${why === 'same directory' ? 'same directory as' : 'same run as'} ${k} (${why}); counted once, as ${k}`;
    return { kept: k, dropped: run.dir, why, message };
  });
  return { runs: kept, duplicates };
}

function moreComplete(a: RunData, b: RunData): boolean {
  const fa = runState(a).finished;
  const fb = runState(b).finished;
  if (fa !== fb) return fa;
  const last = (r: RunData) => (r.records.length ? r.records[r.records.length - 1]!.step : -1);
  return last(a) > last(b);
}

/** createdAt + seed + config: what a copy of a run keeps; null when the manifest lacks createdAt. */
function copyKey(run: RunData): string | null {
  const m = run.manifest;
  if (typeof m['createdAt'] !== 'string' || m['createdAt'] === '') return null;
  return `copy:${canonicalJson([m['createdAt'], m.seed ?? null, m.config ?? null])}`;
}

/** JSON with object keys sorted, so key order does not make two configs differ. */
function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (typeof x === 'object' && x !== null) {
    return `{${Object.keys(x)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((x as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x) ?? 'null';
}

/**
 * A unique, stable label per run: its folder name where that is unique among `dirs`, else the
 * shortest tail of its path that tells the clashing runs apart (`a/seed-0`, `b/seed-0`). Depends
 * on the set of directories only, not their order.
 */
export function runLabels(dirs: readonly string[]): string[] {
  const parts = dirs.map(dirParts);
  const tail = (i: number, k: number) => parts[i]!.slice(-k).join('/');
  const labels = dirs.map((_, i) => tail(i, 1));
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  for (const group of byLabel.values()) {
    if (group.length < 2) continue;
    const longest = Math.max(...group.map((i) => parts[i]!.length));
    for (let k = 2; k <= longest; k++) {
      const ls = group.map((i) => tail(i, k));
      if (new Set(ls).size === ls.length || k === longest) {
        group.forEach((i, j) => (labels[i] = ls[j]!));
        break;
      }
    }
  }
  // Still equal (the same path twice): number them in path order.
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l}#${n}`;
  });
}
