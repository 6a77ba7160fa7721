import type { GrokscopeManifest, RunStatus, RunSummaryFile } from '@grokscope/base';
import type { MetricsRecord } from '../plugin';
import type { CheckpointData } from './checkpointFile';

/** What the trainer writes as `manifest.json`: the run format's grokscope shape (`@grokscope/base`, run-format.md). */
export type Manifest = GrokscopeManifest;

/** What the trainer writes as `summary.json`: the format's summary, with every optional field given. */
export interface Summary extends RunSummaryFile {
  readonly status: RunStatus;
  readonly events: { readonly memorised: number | null; readonly grokked: number | null };
  readonly wallMs: number;
}

/**
 * What the trainer calls on a run store: the run directory's files as operations, so that the
 * trainer itself touches no file system. `RunStore` (the Node entry) keeps them on disk, durably;
 * `MemoryRunStore` keeps them in memory (the browser, tests). Names of files (`dir`, `metricsPath`)
 * only appear in messages.
 */
export interface TrainerStore {
  readonly dir: string;
  readonly metricsPath: string;
  /** True when the store already holds a run (a manifest). */
  exists(): boolean;
  /** Run files present without a manifest (training into them would mix two runs). */
  orphanedFiles(): string[];
  /** Removes what writes cut short by a kill left behind; returns their names. */
  removeStaleTempFiles(): string[];
  writeManifest(m: Manifest): void;
  readMetrics(): { records: MetricsRecord[]; truncatedTail: boolean };
  appendMetric(record: MetricsRecord): void;
  /** Keeps only records at or before `step`; returns them. */
  truncateMetricsAfter(step: number): MetricsRecord[];
  readSummary(): Summary | null;
  writeSummary(s: Summary): void;
  clearSummary(): void;
  /** Stores a checkpoint; returns where (a path, or a name). */
  writeCheckpoint(data: CheckpointData): string;
  /** Checkpoints with their steps, newest first. */
  checkpoints(): { step: number; path: string }[];
  loadCheckpoint(where: string): CheckpointData;
  removeCheckpointsAfter(step: number): void;
}
