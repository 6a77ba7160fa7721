/**
 * Reading run records without a file system: what `readRun` does once it has the files' text,
 * for a browser, a worker or records fetched over HTTP. Imports no platform API, so the
 * platform-free entry (`@grokscope/analysis/records`) can export it.
 */

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
  /** The run directory as given (or, for a run parsed from text, whatever names it: a URL, a label). */
  readonly dir: string;
  /** The directory's base name. */
  readonly name: string;
  readonly manifest: RunManifest;
  readonly records: readonly RunRecord[];
  readonly summary: RunSummary | null;
  /** Condition the run belongs to (manifest.config.condition, default `baseline`). */
  readonly condition: string;
  readonly warnings: readonly string[];
  /**
   * The directory with links resolved, set by `readRun`: how `dedupeRuns` knows a link to a run
   * from the run. Runs parsed from text have none and are told apart by `dir`.
   */
  readonly realDir?: string;
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

/** A run's files as text (or already parsed): what `parseRun` turns into `RunData`. */
export interface RunFiles {
  /** Names the run in messages and labels: its directory, a URL… The base name becomes `name`. */
  readonly dir: string;
  /** manifest.json: its text, or the parsed object. */
  readonly manifest: string | object;
  /** metrics.jsonl as text, or records already parsed; absent: no records yet. */
  readonly metrics?: string | readonly RunRecord[];
  /** summary.json: its text or the parsed object; absent or null: the run has none (unfinished). */
  readonly summary?: string | object | null;
  /** What messages call each file; default `${dir}/manifest.json` and so on. */
  readonly files?: { readonly manifest?: string; readonly metrics?: string; readonly summary?: string };
}

/**
 * A run from its files' contents: the manifest must be a grokscope manifest, summary.json (when
 * given) must have a string `status` and a number `steps`, and each metrics record is checked as
 * `readRun` checks it. Errors are `RunReadError`s naming the file and what to fix.
 */
export function parseRun(run: RunFiles): RunData {
  const dir = run.dir;
  const base = dir.replace(/[\\/]+$/, '');
  const manifestPath = run.files?.manifest ?? `${base}/manifest.json`;
  const metricsPath = run.files?.metrics ?? `${base}/metrics.jsonl`;
  const summaryPath = run.files?.summary ?? `${base}/summary.json`;
  const manifest = typeof run.manifest === 'string' ? parseJson(run.manifest, manifestPath) : run.manifest;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new RunReadError(manifestPath, 'must be a JSON object {"config", "seed", "backend", "versions"}; is this a grokscope run directory?');
  }
  const missing = manifestProblems(manifest);
  if (missing.length > 0) throw new RunReadError(manifestPath, `is not a grokscope run manifest: ${missing.join('; ')}. ${OURS}`);
  const warnings: string[] = [];
  const records = run.metrics === undefined ? [] : typeof run.metrics === 'string' ? parseMetrics(run.metrics, metricsPath, warnings) : [...run.metrics];
  let summary: RunSummary | null = null;
  if (run.summary !== undefined && run.summary !== null) {
    const s = (typeof run.summary === 'string' ? parseJson(run.summary, summaryPath) : run.summary) as Partial<RunSummary> | null;
    if (typeof s?.status !== 'string' || typeof s.steps !== 'number') {
      throw new RunReadError(summaryPath, 'must be a JSON object with "status" (string) and "steps" (number); delete it if the run is still going');
    }
    summary = s as RunSummary;
  }
  const config = (manifest as RunManifest).config;
  const condition = typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['condition'] : undefined;
  const name = base.split(/[\\/]/).pop() ?? base;
  return { dir, name, manifest: manifest as RunManifest, records, summary, condition: typeof condition === 'string' && condition !== '' ? condition : 'baseline', warnings };
}

/**
 * The records of a metrics.jsonl text. A cut-short last line (a crash mid-write) becomes a
 * warning; a malformed record anywhere else is a `RunReadError` naming `file` and the line.
 */
export function parseMetricsJsonl(text: string, file = 'metrics.jsonl'): { records: RunRecord[]; warnings: string[] } {
  const warnings: string[] = [];
  return { records: parseMetrics(text, file, warnings), warnings };
}

function parseMetrics(text: string, file: string, warnings: string[]): RunRecord[] {
  const lines = text.split('\n');
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
      throw new RunReadError(
        file,
        `${where}: step ${record.step} does not follow step ${prev.step}; records must be in increasing step order (was the log appended to by two runs?)`,
      );
    }
    records.push(record);
  }
  return records;
}

/**
 * One parsed line of metrics.jsonl as a record, or a RunReadError naming `file` and `where`
 * (`line 12`). Shared by parseRun and readers that follow a log as it grows (the dashboard).
 */
export function parseRunRecord(rec: unknown, file: string, where: string): RunRecord {
  const r = rec as { step?: unknown; wallMs?: unknown; metrics?: unknown } | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    !Number.isInteger(r.step) ||
    typeof r.wallMs !== 'number' ||
    typeof r.metrics !== 'object' ||
    r.metrics === null ||
    Array.isArray(r.metrics)
  ) {
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

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RunReadError(file, `is not valid JSON (${(err as Error).message}); repair it or remove the run`);
  }
}
