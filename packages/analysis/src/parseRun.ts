import {
  metricsRecordSchema,
  runManifestProblems,
  type RunManifest,
  type RunSummaryFile,
  runSummarySchema,
  schemaProblems,
} from '@grokscope/base';

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

/** `summary.json`, as the run format defines it (`@grokscope/base`, docs/run-format.md). */
export type RunSummary = RunSummaryFile;

/**
 * `manifest.json`, as the run format defines it: grokscope's own, or another trainer's (named
 * by `trainer`). Only `config.condition` is interpreted; every other field is passed through.
 */
export type { RunManifest };

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
  const problems = runManifestProblems(manifest);
  if (problems.length > 0)
    throw new RunReadError(manifestPath, `is not a run manifest: ${problems.join('; ')}. ${FORMAT_HELP}`);
  const warnings: string[] = [];
  const records =
    run.metrics === undefined
      ? []
      : typeof run.metrics === 'string'
        ? parseMetrics(run.metrics, metricsPath, warnings)
        : [...run.metrics];
  let summary: RunSummary | null = null;
  if (run.summary !== undefined && run.summary !== null) {
    const s = typeof run.summary === 'string' ? parseJson(run.summary, summaryPath) : run.summary;
    const wrong = schemaProblems(runSummarySchema, s);
    if (wrong.length > 0)
      throw new RunReadError(
        summaryPath,
        `is not a run summary: ${wrong.join('; ')}; delete it if the run is still going`,
      );
    summary = s as RunSummary;
  }
  const config = (manifest as RunManifest).config;
  const condition =
    typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['condition'] : undefined;
  const name = base.split(/[\\/]/).pop() ?? base;
  return {
    dir,
    name,
    manifest: manifest as RunManifest,
    records,
    summary,
    condition: typeof condition === 'string' && condition !== '' ? condition : 'baseline',
    warnings,
  };
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
  const problems = schemaProblems(metricsRecordSchema, rec);
  if (problems.length > 0)
    throw new RunReadError(
      file,
      `${where} is not a metrics record (${problems.join('; ')}); remove or repair that line`,
    );
  const r = rec as { step: number; wallMs: number; metrics: Record<string, number | null> };
  const metrics: Record<string, number> = {};
  for (const [tag, v] of Object.entries(r.metrics)) {
    // JSON has no NaN or Infinity: JSON.stringify writes them as null. Such a value is a
    // missing measurement, so the tag is left out rather than read as 0.
    if (v !== null) metrics[tag] = v;
  }
  return { step: r.step, wallMs: r.wallMs, metrics };
}

/** Where a writer of another trainer reads what a run directory must hold. */
const FORMAT_HELP = 'The run format (manifest.json, metrics.jsonl, summary.json) is described in docs/run-format.md';

export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RunReadError(file, `is not valid JSON (${(err as Error).message}); repair it or remove the run`);
  }
}
