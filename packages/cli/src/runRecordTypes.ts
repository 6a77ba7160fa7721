import type { RunData, RunRecord, RunSummary } from '@grokscope/analysis';
import type { Manifest, MetricsRecord, Summary } from '@grokscope/core';

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
