import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStoreError } from '../errors';
import type { MetricsRecord } from '../plugin';
import { removeStaleTempFiles, writeFileAtomic } from './atomicFile';
import { type CheckpointData, decodeCheckpoint, encodeCheckpoint } from './checkpointFile';
import { appendMetric, readMetrics, rewriteMetrics } from './metricsLog';
import type { Manifest, Summary, TrainerStore } from './trainerStore';

export type { Manifest, Summary } from './trainerStore';

/**
 * Proof that this process still owns the run directory. The run store calls `assertHeld()`
 * before every write, so a process that lost its lock (a lock taken over from another host
 * after it stopped refreshing) fails with a named error instead of writing into a run that
 * someone else now trains (docs/reliability.md).
 */
export interface WriteGuard {
  /** Throws a GrokscopeError (code E_RUN_LOCKED) when this process no longer holds the run. */
  assertHeld(): void;
}

/** Checkpoints kept on disk: the newest, plus one to fall back on if it is corrupted. */
const KEEP_CHECKPOINTS = 2;
const CKPT = /^step-(\d{9})\.ckpt$/;

/**
 * One run directory: `manifest.json`, `metrics.jsonl` (append-only), `checkpoints/` and
 * `summary.json`. Every write is durable (fsync) and every replace atomic (rename).
 */
export class RunStore implements TrainerStore {
  readonly dir: string;
  readonly #guard: WriteGuard | undefined;

  constructor(dir: string, guard?: WriteGuard) {
    this.dir = path.resolve(dir);
    this.#guard = guard;
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

  /**
   * Run files present without a manifest (a deleted or lost `manifest.json`): training into such
   * a directory would append a new run to the old one's log, so callers refuse it.
   */
  orphanedFiles(): string[] {
    if (this.exists()) return [];
    const found = ['metrics.jsonl', 'summary.json'].filter((f) => fs.existsSync(path.join(this.dir, f)));
    if (this.#checkpointFiles().length > 0) found.push('checkpoints/');
    return found;
  }

  /** Removes the temp files of writes a kill cut short (only while holding the run's lock); returns their names. */
  removeStaleTempFiles(): string[] {
    this.#assertHeld();
    return [
      ...removeStaleTempFiles(this.dir),
      ...removeStaleTempFiles(this.checkpointDir).map((f) => `checkpoints/${f}`),
    ];
  }

  writeManifest(m: Manifest): void {
    this.#assertHeld();
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
    this.#assertHeld();
    writeFileAtomic(this.summaryPath, JSON.stringify(s, null, 2) + '\n');
  }

  clearSummary(): void {
    this.#assertHeld();
    fs.rmSync(this.summaryPath, { force: true });
  }

  readMetrics(): ReturnType<typeof readMetrics> {
    return readMetrics(this.metricsPath);
  }

  appendMetric(record: MetricsRecord): void {
    this.#assertHeld();
    appendMetric(this.metricsPath, record);
  }

  /** Keeps only records at or before `step` (what the checkpoint being resumed had seen). */
  truncateMetricsAfter(step: number): MetricsRecord[] {
    this.#assertHeld();
    const { records } = this.readMetrics();
    const kept = records.filter((r) => r.step <= step);
    rewriteMetrics(this.metricsPath, kept);
    return kept;
  }

  /**
   * Writes a checkpoint atomically, reads it back and verifies its checksum, and only then prunes
   * older ones: a write that fails (a full disk) or does not verify leaves the older checkpoints
   * in place and throws.
   */
  writeCheckpoint(data: CheckpointData): string {
    this.#assertHeld();
    const file = path.join(this.checkpointDir, `step-${String(data.step).padStart(9, '0')}.ckpt`);
    const bytes = encodeCheckpoint(data);
    writeFileAtomic(file, bytes);
    let back: Buffer;
    try {
      back = fs.readFileSync(file);
      if (back.length !== bytes.length) throw new Error(`${back.length} bytes on disk, ${bytes.length} written`);
      decodeCheckpoint(back);
    } catch (err) {
      fs.rmSync(file, { force: true });
      throw new RunStoreError(
        file,
        `the checkpoint just written does not verify (${(err as Error).message}); the older checkpoints are kept. Check the disk, then run the same command again to resume`,
      );
    }
    for (const old of this.#checkpointFiles().slice(KEEP_CHECKPOINTS)) fs.rmSync(old, { force: true });
    return file;
  }

  /** Checkpoint files with their steps, newest first (by name; contents are verified on load). */
  checkpoints(): { step: number; path: string }[] {
    return this.#checkpointFiles().map((f) => ({ step: Number(CKPT.exec(path.basename(f))![1]), path: f }));
  }

  /** Decodes and verifies one checkpoint file; a RunStoreError names the file and what is wrong. */
  loadCheckpoint(file: string): CheckpointData {
    try {
      return decodeCheckpoint(fs.readFileSync(file));
    } catch (err) {
      throw new RunStoreError(file, (err as Error).message);
    }
  }

  /** Deletes checkpoints newer than `step` (a resume from an older one must not meet them later). */
  removeCheckpointsAfter(step: number): void {
    this.#assertHeld();
    for (const c of this.checkpoints()) if (c.step > step) fs.rmSync(c.path, { force: true });
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
        return { data: this.loadCheckpoint(file), path: file };
      } catch (err) {
        bad.push((err as Error).message);
        warn(`skipping corrupted checkpoint ${(err as Error).message}`);
      }
    }
    if (bad.length > 0) {
      throw new RunStoreError(
        this.checkpointDir,
        `no valid checkpoint (${bad.join('; ')}); delete the run directory to start over`,
      );
    }
    return null;
  }

  #assertHeld(): void {
    this.#guard?.assertHeld();
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
