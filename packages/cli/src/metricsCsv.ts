import type { RunRecord } from '@grokscope/analysis';

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A run's metrics.jsonl as one wide CSV table (RFC 4180, CRLF line ends): `step`, `wall_ms`,
 * then one column per metric tag in sorted order; a record without a tag, or with a non-finite
 * value (null in metrics.jsonl), leaves its cell empty. Numbers are written as JavaScript prints
 * them, which round-trips exactly.
 */
export function metricsCsv(records: readonly RunRecord[]): string {
  const tags = [...new Set(records.flatMap((r) => Object.keys(r.metrics)))].sort();
  const num = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
  const rows = [
    ['step', 'wall_ms', ...tags].map(csvField),
    ...records.map((r) => [String(r.step), num(r.wallMs), ...tags.map((t) => num(r.metrics[t]))]),
  ];
  return rows.map((row) => row.join(',') + '\r\n').join('');
}
