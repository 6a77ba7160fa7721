import * as fs from 'node:fs';
import type { MetricsRecordLine } from '@grokscope/base';
import { RunStoreError } from '../errors';
import type { MetricsRecord } from '../plugin';
import { appendDurable, writeFileAtomic } from './atomicFile';

export interface MetricsReadResult {
  readonly records: MetricsRecord[];
  /** Set when the last line was cut short (a crash mid-write) and was dropped. */
  readonly truncatedTail: boolean;
}

/**
 * Reads `metrics.jsonl`. A cut-short last line (no newline, not JSON) is a crash mid-write and
 * is dropped; a malformed line anywhere else is an error naming the line, and so is a step that
 * does not increase (a duplicated or reordered line): resuming on such a log would finish a run
 * that `analyze` and `export` then refuse.
 */
export function readMetrics(file: string): MetricsReadResult {
  if (!fs.existsSync(file)) return { records: [], truncatedTail: false };
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n') || text.length === 0;
  const records: MetricsRecord[] = [];
  let truncatedTail = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const isLast = i === lines.length - 1;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      if (isLast && !endsClean) {
        truncatedTail = true;
        continue;
      }
      throw new RunStoreError(file, `line ${i + 1} is not valid JSON; remove or repair that line`);
    }
    if (!isRecord(rec)) {
      throw new RunStoreError(
        file,
        `line ${i + 1} is not a metrics record {"step","wallMs","metrics"}; remove or repair that line`,
      );
    }
    const prev = records[records.length - 1];
    if (prev !== undefined && rec.step <= prev.step) {
      const fix = 'remove or repair that line, or delete the run to start over';
      throw new RunStoreError(
        file,
        `line ${i + 1}: step ${rec.step} does not follow step ${prev.step} (a duplicated or reordered record); ${fix}`,
      );
    }
    if (isLast && !endsClean) truncatedTail = true; // valid JSON but the newline never made it
    records.push(rec);
  }
  return { records, truncatedTail };
}

/** One line in the run format's shape (`@grokscope/base`): a record that is not one does not compile. */
export function appendMetric(file: string, record: MetricsRecordLine): void {
  appendDurable(file, JSON.stringify(record) + '\n');
}

/** Rewrites the log atomically with only these records. */
export function rewriteMetrics(file: string, records: readonly MetricsRecordLine[]): void {
  writeFileAtomic(file, records.map((r) => JSON.stringify(r) + '\n').join(''));
}

function isRecord(x: unknown): x is MetricsRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    Number.isInteger(r['step']) &&
    typeof r['wallMs'] === 'number' &&
    typeof r['metrics'] === 'object' &&
    r['metrics'] !== null
  );
}
