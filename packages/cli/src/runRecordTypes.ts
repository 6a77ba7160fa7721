import type { DEFAULT_THRESHOLDS as READER_THRESHOLDS, METRIC_TAGS as READER_TAGS, RunData, RunRecord, RunSummary } from '@grokscope/analysis';
import type { DEFAULT_THRESHOLDS, Manifest, METRIC_TAGS, MetricsRecord, Summary } from '@grokscope/core';

/**
 * Where the CLI meets both sides of the run store: what core writes (`metrics.jsonl` records,
 * `summary.json`, `manifest.json`) must be readable as what analysis reads, which declares its
 * own types so it never depends on core. These identity functions stop compiling (`tsc -b`)
 * the moment the two drift apart.
 */
export const asRunRecord = (record: MetricsRecord): RunRecord => record;
export const asRunSummary = (summary: Summary): RunSummary => summary;
/** Spread: analysis declares an index signature, which core's `Manifest` interface lacks (a plain JSON object has it). */
export const asRunManifest = (manifest: Manifest): RunData['manifest'] => ({ ...manifest });

/** `true` only when A and B are the same type (each assignable to the other). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * The facts analysis restates on the reader's side (`packages/analysis/src/facts.ts`) are core's
 * (`packages/core/src/facts.ts`), literal for literal: this stops compiling when one side
 * changes alone. `packages/cli/test/oneOwner.test.ts` checks the values too.
 */
export const readerFactsAgree: {
  readonly metricTags: Same<typeof METRIC_TAGS, typeof READER_TAGS>;
  readonly thresholds: Same<typeof DEFAULT_THRESHOLDS, typeof READER_THRESHOLDS>;
} = {
  metricTags: true,
  thresholds: true,
};
