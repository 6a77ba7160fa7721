import * as fs from 'node:fs';
import * as path from 'node:path';

/** One evaluation record of `metrics.jsonl` (the shape the trainer writes). */
export interface RunRecord {
  readonly step: number;
  readonly wallMs: number;
  readonly metrics: Readonly<Record<string, number>>;
}

export interface RunSummary {
  readonly status: string;
  readonly steps: number;
  readonly events?: { readonly memorised: number | null; readonly grokked: number | null };
}

/** `manifest.json`: only `config.condition` is interpreted; every other field is passed through. */
export interface RunManifest {
  readonly config?: unknown;
  readonly seed?: number;
  readonly backend?: string;
  readonly versions?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

export interface RunData {
  readonly dir: string;
  /** The directory's base name. */
  readonly name: string;
  readonly manifest: RunManifest;
  readonly records: readonly RunRecord[];
  readonly summary: RunSummary | null;
  /** Condition the run belongs to (manifest.config.condition, default `baseline`). */
  readonly condition: string;
  readonly warnings: readonly string[];
}

export class RunReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'RunReadError';
  }
}

/**
 * Reads a run directory. A cut-short last line of metrics.jsonl (a crash mid-write) becomes a
 * warning; a malformed record anywhere else is an error naming the file and line.
 */
export function readRun(dir: string): RunData {
  const manifestPath = path.join(dir, 'manifest.json');
  const manifest = readJson(manifestPath);
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new RunReadError(manifestPath, 'must be a JSON object {"config", "seed", "backend", "versions"}; is this a grokscope run directory?');
  }
  const missing = manifestProblems(manifest);
  if (missing.length > 0) throw new RunReadError(manifestPath, `is not a grokscope run manifest: ${missing.join('; ')}. ${OURS}`);
  const metricsPath = path.join(dir, 'metrics.jsonl');
  const warnings: string[] = [];
  const records = fs.existsSync(metricsPath) ? readMetrics(metricsPath, warnings) : [];
  const summaryPath = path.join(dir, 'summary.json');
  let summary: RunSummary | null = null;
  if (fs.existsSync(summaryPath)) {
    const s = readJson(summaryPath) as Partial<RunSummary> | null;
    if (typeof s?.status !== 'string' || typeof s.steps !== 'number') {
      throw new RunReadError(summaryPath, 'must be a JSON object with "status" (string) and "steps" (number); delete it if the run is still going');
    }
    summary = s as RunSummary;
  }
  const config = (manifest as RunManifest).config;
  const condition = typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['condition'] : undefined;
  return { dir, name: path.basename(dir), manifest: manifest as RunManifest, records, summary, condition: typeof condition === 'string' && condition !== '' ? condition : 'baseline', warnings };
}

function readMetrics(file: string, warnings: string[]): RunRecord[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  // The last element is '' when the file ends with a newline; a non-empty one was never finished.
  const unfinished = lines.length - 1;
  const records: RunRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const where = `line ${i + 1}`;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      if (i === unfinished) {
        warnings.push(`${file}: ${where} is cut short (the run was interrupted while writing it); ignored`);
        continue;
      }
      throw new RunReadError(file, `${where} is not valid JSON; remove or repair that line`);
    }
    const record = parseRunRecord(rec, file, where);
    const prev = records[records.length - 1];
    if (prev !== undefined && record.step <= prev.step) {
      throw new RunReadError(file, `${where}: step ${record.step} does not follow step ${prev.step}; records must be in increasing step order (was the log appended to by two runs?)`);
    }
    records.push(record);
  }
  return records;
}

/**
 * One parsed line of metrics.jsonl as a record, or a RunReadError naming `file` and `where`
 * (`line 12`). Shared by readRun and readers that follow a log as it grows (the dashboard).
 */
export function parseRunRecord(rec: unknown, file: string, where: string): RunRecord {
  const r = rec as { step?: unknown; wallMs?: unknown; metrics?: unknown } | null;
  if (typeof r !== 'object' || r === null || !Number.isInteger(r.step) || typeof r.wallMs !== 'number' || typeof r.metrics !== 'object' || r.metrics === null || Array.isArray(r.metrics)) {
    throw new RunReadError(file, `${where} is not a record {"step": integer, "wallMs": number, "metrics": {…}}; remove or repair that line`);
  }
  const metrics: Record<string, number> = {};
  for (const [tag, v] of Object.entries(r.metrics as Record<string, unknown>)) {
    // JSON has no NaN or Infinity: JSON.stringify writes them as null. Such a value is a
    // missing measurement, so the tag is left out rather than read as 0.
    if (v === null) continue;
    if (typeof v !== 'number') throw new RunReadError(file, `${where}: metric "${tag}" is ${JSON.stringify(v)}, expected a number`);
    metrics[tag] = v;
  }
  return { step: r.step as number, wallMs: r.wallMs, metrics };
}

const OURS = 'A grokscope trainer writes manifest.json with versions["@grokscope/core"], a config object and an integer seed';

/**
 * What keeps `manifest` (parsed manifest.json) from being one the grokscope trainer wrote: it
 * records `versions['@grokscope/core']`, a `config` object and an integer `seed`. Empty: ours.
 */
export function manifestProblems(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return ['it is not a JSON object'];
  const m = manifest as Record<string, unknown>;
  const problems: string[] = [];
  const versions = m['versions'];
  if (typeof versions !== 'object' || versions === null || Array.isArray(versions)) problems.push('"versions" (an object with "@grokscope/core") is missing');
  else if (typeof (versions as Record<string, unknown>)['@grokscope/core'] !== 'string') problems.push('"versions" has no "@grokscope/core" entry');
  const config = m['config'];
  if (config === undefined) problems.push('"config" is missing');
  else if (typeof config !== 'object' || config === null || Array.isArray(config)) problems.push(`"config" is ${JSON.stringify(config)}, not an object`);
  const seed = m['seed'];
  if (seed === undefined) problems.push('"seed" is missing');
  else if (!Number.isInteger(seed)) problems.push(`"seed" is ${JSON.stringify(seed)}, not an integer`);
  return problems;
}

export interface FindRunDirsOptions {
  /** Told about each folder skipped while searching (a manifest.json that is not a grokscope run's). */
  readonly warn?: (message: string) => void;
}

/**
 * Run directories under the given paths: each path is a run (has manifest.json) or is searched,
 * 4 levels deep. A path named here is returned as given (readRun then says what is wrong with it);
 * a folder found while searching whose manifest.json is not a grokscope run's is skipped with a
 * warning, and searched further.
 */
export function findRunDirs(paths: readonly string[], options: FindRunDirsOptions = {}): string[] {
  const out: string[] = [];
  const visit = (p: string, depth: number) => {
    const manifest = path.join(p, 'manifest.json');
    if (fs.existsSync(manifest)) {
      if (depth === 0) return void out.push(p);
      const why = foreignManifest(manifest);
      if (why === null) return void out.push(p);
      options.warn?.(`skipped ${p}: ${manifest} is not a grokscope run manifest (${why})`);
    }
    if (depth < 4 && fs.existsSync(p) && fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p).sort()) visit(path.join(p, e), depth + 1);
  };
  for (const p of paths) visit(path.resolve(p), 0);
  return out;
}

/** Why a manifest.json found while searching is not one of ours; null when it is. */
function foreignManifest(file: string): string | null {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return `unreadable or not valid JSON: ${(err as Error).message}`;
  }
  const problems = manifestProblems(data);
  return problems.length ? problems.join('; ') : null;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new RunReadError(file, 'is missing; point at a run directory (one holding manifest.json and metrics.jsonl)');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RunReadError(file, `is not valid JSON (${(err as Error).message}); repair it or remove the run`);
  }
}
