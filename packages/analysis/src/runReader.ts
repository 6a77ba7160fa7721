import * as fs from 'node:fs';
import * as path from 'node:path';

/** One evaluation record of `metrics.jsonl` (the shape core writes). */
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

export interface RunData {
  readonly dir: string;
  readonly name: string;
  readonly manifest: { readonly config?: Record<string, unknown> | null; readonly seed?: number; readonly [k: string]: unknown };
  readonly records: readonly RunRecord[];
  readonly summary: RunSummary | null;
  /** Condition the run belongs to (manifest.config.condition, default baseline). */
  readonly condition: string;
  readonly warnings: readonly string[];
}

export class RunReadError extends Error {
  constructor(readonly file: string, message: string) {
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
  const manifest = readJson(manifestPath) as RunData['manifest'];
  const metricsPath = path.join(dir, 'metrics.jsonl');
  const warnings: string[] = [];
  const records: RunRecord[] = [];
  if (fs.existsSync(metricsPath)) {
    const text = fs.readFileSync(metricsPath, 'utf8');
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const last = i === lines.length - 1;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        if (last) {
          warnings.push(`${metricsPath}: line ${i + 1} is cut short (the run was interrupted while writing); ignored`);
          return;
        }
        throw new RunReadError(metricsPath, `line ${i + 1} is not valid JSON`);
      }
      const r = rec as RunRecord;
      if (!Number.isInteger(r?.step) || typeof r.metrics !== 'object' || r.metrics === null) {
        throw new RunReadError(metricsPath, `line ${i + 1} is not a record {"step", "wallMs", "metrics"}`);
      }
      records.push(r);
    });
  }
  const summaryPath = path.join(dir, 'summary.json');
  const summary = fs.existsSync(summaryPath) ? (readJson(summaryPath) as RunSummary) : null;
  const condition = String((manifest.config as Record<string, unknown> | null | undefined)?.['condition'] ?? 'baseline');
  return { dir, name: path.basename(dir), manifest, records, summary, condition, warnings };
}

/** Run directories under the given paths: each path is a run (has manifest.json) or is searched. */
export function findRunDirs(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string, depth: number) => {
    if (fs.existsSync(path.join(p, 'manifest.json'))) out.push(p);
    else if (depth < 4 && fs.existsSync(p) && fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p).sort()) visit(path.join(p, e), depth + 1);
  };
  for (const p of paths) visit(path.resolve(p), 0);
  return out;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new RunReadError(file, 'missing; is this a grokscope run directory?');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RunReadError(file, `is not valid JSON (${(err as Error).message})`);
  }
}
