import * as fs from 'node:fs';
import * as path from 'node:path';
import { runManifestProblems } from '@grokscope/base';
import { parseRun, RunReadError, type RunData } from './parseRun';

// The record types, the checks and RunReadError are platform-free (parseRun.ts); this module
// adds the file system. Re-exported so existing imports from here keep working.
export {
  parseMetricsJsonl,
  parseRun,
  RunReadError,
  type RunData,
  type RunFiles,
  type RunManifest,
  type RunRecord,
  type RunSummary,
} from './parseRun';

/**
 * Reads a run directory. A cut-short last line of metrics.jsonl (a crash mid-write) becomes a
 * warning; a malformed record anywhere else is an error naming the file and line.
 */
export function readRun(dir: string): RunData {
  const files = {
    manifest: path.join(dir, 'manifest.json'),
    metrics: path.join(dir, 'metrics.jsonl'),
    summary: path.join(dir, 'summary.json'),
  };
  let manifest: string;
  try {
    manifest = fs.readFileSync(files.manifest, 'utf8');
  } catch {
    throw new RunReadError(
      files.manifest,
      'is missing; point at a run directory (one holding manifest.json and metrics.jsonl)',
    );
  }
  const run = parseRun({
    dir,
    manifest,
    ...(fs.existsSync(files.metrics) ? { metrics: fs.readFileSync(files.metrics, 'utf8') } : {}),
    summary: fs.existsSync(files.summary) ? fs.readFileSync(files.summary, 'utf8') : null,
    files,
  });
  return { ...run, name: path.basename(dir), realDir: realDir(dir) };
}

/** The directory with links resolved (absolute); as given, made absolute, when that fails. */
function realDir(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

export interface FindRunDirsOptions {
  /** Told about each folder skipped while searching (a manifest.json that is not a grokscope run's). */
  readonly warn?: (message: string) => void;
}

/**
 * Run directories under the given paths: each path is a run (has manifest.json) or is searched,
 * 4 levels deep. A path named here is returned as given (readRun then says what is wrong with it);
 * a folder found while searching whose manifest.json is not a grokscope run's is skipped with a
 * warning, and searched further. A run reached twice through symbolic links (`ln -s . runs/loop`,
 * an alias of a run folder) is listed once, by the path through the fewest links, and a
 * link back to a folder being searched is not followed.
 */
export function findRunDirs(paths: readonly string[], options: FindRunDirsOptions = {}): string[] {
  const found: { readonly dir: string; readonly real: string; readonly links: number }[] = [];
  const visit = (p: string, depth: number, links: number, searching: ReadonlySet<string>) => {
    const real = realDir(p);
    if (searching.has(real)) return; // a link back up the tree: everything below is being searched already
    const manifest = path.join(p, 'manifest.json');
    if (fs.existsSync(manifest)) {
      if (depth === 0) return void found.push({ dir: p, real, links });
      const why = foreignManifest(manifest);
      if (why === null) return void found.push({ dir: p, real, links });
      options.warn?.(`skipped ${p}: ${manifest} is not a run manifest (${why})`);
    }
    if (depth < 4 && fs.existsSync(p) && fs.statSync(p).isDirectory()) {
      const inside = new Set(searching).add(real);
      for (const e of fs.readdirSync(p).sort()) {
        const child = path.join(p, e);
        visit(child, depth + 1, links + (fs.lstatSync(child).isSymbolicLink() ? 1 : 0), inside);
      }
    }
  };
  for (const p of paths) visit(path.resolve(p), 0, 0, new Set());
  // A folder reached through links is listed once, by the path with the fewest links, and not
  // at all when it was also reached without one. Paths without links are all kept: a run given
  // twice is the caller's to report (dedupeRuns says "given more than once").
  const chosen = new Map<string, (typeof found)[number]>();
  for (const f of found) {
    const seen = chosen.get(f.real);
    if (!seen || f.links < seen.links) chosen.set(f.real, f);
  }
  return found.filter((f) => f.links === 0 || chosen.get(f.real) === f).map((f) => f.dir);
}

/** Why a manifest.json found while searching is not a run manifest (grokscope's or another trainer's); null when it is. */
function foreignManifest(file: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return `unreadable or not valid JSON: ${(err as Error).message}`;
  }
  const problems = runManifestProblems(data);
  return problems.length ? problems.join('; ') : null;
}
