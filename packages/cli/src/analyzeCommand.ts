import * as path from 'node:path';
import {
  analyzeRuns,
  findRunDirs,
  readRun,
  renderMarkdown,
  writeReport,
  type ThresholdRule,
} from '@grokscope/analysis';
import { ConfigError } from '@grokscope/core';
import { checkOutputDir } from './checkOutputDir';
import { jsonDocument } from './jsonEvent';

export interface AnalyzeCommandOptions {
  readonly dirs: readonly string[];
  readonly threshold?: string;
  readonly out?: string;
  readonly json?: boolean;
}

/** `--threshold max | q0.9 | 0.61` → the rule analysis uses. */
export function parseThresholdRule(text: string | undefined): ThresholdRule {
  if (text === undefined || text === 'max') return { kind: 'max' };
  const q = /^q(0?\.\d+|1(\.0*)?)$/.exec(text);
  if (q) return { kind: 'quantile', q: Number(q[1]) };
  const v = Number(text);
  if (Number.isFinite(v) && v > 0 && v < 1) return { kind: 'fixed', value: v };
  throw new ConfigError('--threshold', `"${text}" is not max, a quantile like q0.9, or a fixed H̃* in (0, 1)`);
}

/** `grokscope analyze` (tables to the terminal) and `grokscope report` (Markdown + charts to --out). */
export async function analyzeCommand(o: AnalyzeCommandOptions): Promise<number> {
  if (o.out !== undefined) checkOutputDir(o.out, '--out'); // before the analysis, not after it
  const warn = (message: string) => process.stderr.write(`warning: ${message}\n`);
  const dirs = findRunDirs(o.dirs, { warn });
  if (dirs.length === 0)
    throw new ConfigError('DIR', `no run directories (with manifest.json) under ${o.dirs.join(', ')}`);
  const runs = dirs.map(readRun);
  for (const r of runs) for (const w of r.warnings) warn(w);
  const doc = analyzeRuns(runs, { threshold: parseThresholdRule(o.threshold) });
  for (const d of doc.duplicates) warn(d.message);
  if (doc.unfinished.length > 0) {
    warn(
      `${doc.unfinished.length} unfinished run(s) left out of every statistic: ${doc.unfinished.map((r) => `${r.name} (${r.status}, step ${r.stepReached ?? '–'})`).join(', ')}`,
    );
  }
  if (o.out) {
    const files = await writeReport(doc, runs, o.out);
    process.stdout.write(`report written to ${path.resolve(o.out)} (${files.length} files)\n`);
  } else {
    process.stdout.write(o.json ? jsonDocument(doc) + '\n' : renderMarkdown(doc));
  }
  return 0;
}
