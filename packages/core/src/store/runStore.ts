import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStoreError } from '../errors';
import type { MetricsRecord } from '../plugin';
import type { RunStatus } from '../trainer/events';
import { writeFileAtomic } from './atomicFile';
import { type CheckpointData, decodeCheckpoint, encodeCheckpoint } from './checkpointFile';
import { appendMetric, readMetrics, rewriteMetrics } from './metricsLog';

export interface Manifest {
  readonly config: unknown;
  readonly seed: number;
  readonly backend: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly createdAt: string;
}

export interface Summary {
  readonly status: RunStatus;
  readonly steps: number;
  readonly reason?: string;
  readonly events: { readonly memorised: number | null; readonly grokked: number | null };
  readonly wallMs: number;
}

/** Checkpoints kept on disk: the newest, plus one to fall back on if it is corrupted. */
const KEEP_CHECKPOINTS = 2;
const CKPT = /^step-(\d{9})\.ckpt$/;

/**
 * One run directory: `manifest.json`, `metrics.jsonl` (append-only), `checkpoints/` and
 * `summary.json`. Every write is durable (fsync) and every replace atomic (rename).
 */
export class RunStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  get manifestPath(): string {
    return path.join(this.dir, 'manifest.json');
  }
  get metricsPath(): string {
    return path.join(this.dir, 'metrics.jsonl');
  }
  get summaryPath(): string {
    return path.join(this.dir, 'summary.json');
  }
  get checkpointDir(): string {
    return path.join(this.dir, 'checkpoints');
  }

  /** True when the directory already holds a run (a manifest). */
  exists(): boolean {
    return fs.existsSync(this.manifestPath);
  }

  writeManifest(m: Manifest): void {
    fs.mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.manifestPath, JSON.stringify(m, null, 2) + '\n');
  }

  readManifest(): Manifest {
    return this.#readJson<Manifest>(this.manifestPath);
  }

  readSummary(): Summary | null {
    return fs.existsSync(this.summaryPath) ? this.#readJson<Summary>(this.summaryPath) : null;
  }

  writeSummary(s: Summary): void {
    writeFileAtomic(this.summaryPath, JSON.stringify(s, null, 2) + '\n');
  }

  clearSummary(): void {
    fs.rmSync(this.summaryPath, { force: true });
  }

  readMetrics(): ReturnType<typeof readMetrics> {
    return readMetrics(this.metricsPath);
  }

  appendMetric(record: MetricsRecord): void {
    appendMetric(this.metricsPath, record);
  }

  /** Keeps only records at or before `step` (what the checkpoint being resumed had seen). */
  truncateMetricsAfter(step: number): MetricsRecord[] {
    const { records } = this.readMetrics();
    const kept = records.filter((r) => r.step <= step);
    rewriteMetrics(this.metricsPath, kept);
    return kept;
  }

  writeCheckpoint(data: CheckpointData): string {
    const file = path.join(this.checkpointDir, `step-${String(data.step).padStart(9, '0')}.ckpt`);
    writeFileAtomic(file, encodeCheckpoint(data));
    for (const old of this.#checkpointFiles().slice(KEEP_CHECKPOINTS)) fs.rmSync(old, { force: true });
    return file;
  }

  /**
   * The newest checkpoint that verifies. A corrupted newer one is reported through `warn` and
   * skipped (the older one is kept for exactly this); with none valid, an error names them.
   */
  latestCheckpoint(warn: (message: string) => void = () => {}): { data: CheckpointData; path: string } | null {
    const files = this.#checkpointFiles();
    const bad: string[] = [];
    for (const file of files) {
      try {
        return { data: decodeCheckpoint(fs.readFileSync(file)), path: file };
      } catch (err) {
        bad.push(`${file}: ${(err as Error).message}`);
        warn(`skipping corrupted checkpoint ${file}: ${(err as Error).message}`);
      }
    }
    if (bad.length > 0) {
      throw new RunStoreError(this.checkpointDir, `no valid checkpoint (${bad.join('; ')}); delete the run directory to start over`);
    }
    return null;
  }

  /** Checkpoint files, newest first. */
  #checkpointFiles(): string[] {
    if (!fs.existsSync(this.checkpointDir)) return [];
    return fs
      .readdirSync(this.checkpointDir)
      .filter((f) => CKPT.test(f))
      .sort()
      .reverse()
      .map((f) => path.join(this.checkpointDir, f));
  }

  #readJson<T>(file: string): T {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
    } catch (err) {
      throw new RunStoreError(file, `cannot read: ${(err as Error).message}`);
    }
  }
}
