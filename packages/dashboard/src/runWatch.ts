import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_THRESHOLDS, FINISHED_STATUSES, METRIC_TAGS, runManifestProblems } from '@grokscope/base';
import {
  runEvents,
  type EventOptions,
  type RunEvents,
  type RunManifest,
  type RunRecord,
  type RunSummary,
} from '@grokscope/analysis';
import { containedFile } from './containedFile';
import { MetricsTail } from './metricsTail';

/** running: its lock is live; completed/stopped/failed/interrupted: summary.json says so; no summary and nobody training it: interrupted (killed). */
export type RunStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted' | 'unreadable';

/** One row of the overview. */
export interface RunRow {
  readonly id: string;
  readonly name: string;
  /** The run folder relative to its root (`.` for a root that is itself a run). */
  readonly path: string;
  /** The study the run belongs to: its parent folder, relative to the root (`.` at the root). */
  readonly study: string;
  readonly status: RunStatus;
  readonly condition: string;
  readonly seed: number | null;
  readonly step: number | null;
  readonly records: number;
  readonly tMem: number | null;
  readonly tGrok: number | null;
  readonly lastH: number | null;
  /** Why the run cannot be shown (status `unreadable`), or lines of its log that were skipped. */
  readonly problems: readonly string[];
}

/** Tells whether a process trains the run in `dir` right now (the CLI passes its run-lock check). */
export type LiveCheck = (dir: string) => boolean;

/**
 * One run directory as the dashboard follows it: manifest read once, metrics.jsonl tailed
 * incrementally, summary.json re-read only when its modification time changes, and the events
 * recomputed only when records arrive.
 */
export class RunWatch {
  readonly tail: MetricsTail;
  manifest: RunManifest | null = null;
  summary: RunSummary | null = null;
  private summaryMtime = -1;
  private manifestProblem: string | null = null;
  private summaryProblem: string | null = null;
  private cachedEvents: { n: number; events: RunEvents } | null = null;
  private live = false;

  constructor(
    readonly id: string,
    readonly dir: string,
    readonly root: string,
  ) {
    this.tail = new MetricsTail(path.join(dir, 'metrics.jsonl'), root);
  }

  get name(): string {
    return path.basename(this.dir);
  }

  get records(): readonly RunRecord[] {
    return this.tail.records;
  }

  /** manifest.config.condition, default `baseline` (as readRun). */
  get condition(): string {
    const config = this.manifest?.config;
    const c =
      typeof config === 'object' && config !== null ? (config as Record<string, unknown>)['condition'] : undefined;
    return typeof c === 'string' && c !== '' ? c : 'baseline';
  }

  /** The run's own event thresholds (config.thresholds), else the defaults. */
  get eventOptions(): EventOptions {
    const config = this.manifest?.config as { thresholds?: { memorised?: unknown; grokked?: unknown } } | undefined;
    const t = config?.thresholds;
    return {
      memorised: typeof t?.memorised === 'number' ? t.memorised : DEFAULT_THRESHOLDS.memorised,
      grokked: typeof t?.grokked === 'number' ? t.grokked : DEFAULT_THRESHOLDS.grokked,
    };
  }

  get events(): RunEvents {
    const n = this.records.length;
    if (this.cachedEvents?.n !== n) this.cachedEvents = { n, events: runEvents(this.records, this.eventOptions) };
    return this.cachedEvents.events;
  }

  /** Reads what changed on disk. Returns the records that arrived and whether anything shown changed. */
  refresh(isLive: LiveCheck): { added: readonly RunRecord[]; changed: boolean } {
    let changed = false;
    if (this.manifest === null) changed = this.readManifest() || changed;
    const update = this.tail.poll();
    if (update.reset) this.cachedEvents = null;
    changed = changed || update.reset || update.added.length > 0 || update.warnings.length > 0;
    changed = this.readSummary() || changed;
    // Only an unfinished run asks for its lock: a finished one stays finished.
    const live = this.summary === null && this.manifest !== null && isLive(this.dir);
    if (live !== this.live) changed = true;
    this.live = live;
    return { added: update.added, changed };
  }

  get status(): RunStatus {
    if (this.manifest === null || this.summaryProblem !== null) return 'unreadable';
    if (this.summary !== null) {
      const s = this.summary.status;
      if (FINISHED_STATUSES.includes(s) || s === 'failed' || s === 'interrupted') return s as RunStatus;
      return 'interrupted';
    }
    return this.live ? 'running' : 'interrupted';
  }

  /** Finished on its own terms (completed or stopped): such runs feed the study's forecast law. */
  get finished(): boolean {
    return this.summary !== null && FINISHED_STATUSES.includes(this.summary.status);
  }

  row(): RunRow {
    const recs = this.records;
    const last = recs[recs.length - 1];
    let lastH: number | null = null;
    for (let i = recs.length - 1; i >= 0 && lastH === null; i--)
      lastH = recs[i]!.metrics[METRIC_TAGS.entropyHn] ?? null;
    const rel = path.relative(this.root, this.dir) || '.';
    const ev = this.events;
    const seed = this.manifest?.seed;
    return {
      id: this.id,
      name: this.name,
      path: rel,
      study: path.dirname(rel),
      status: this.status,
      condition: this.condition,
      seed: typeof seed === 'number' ? seed : null,
      step: last?.step ?? (this.summary ? this.summary.steps : null),
      records: recs.length,
      tMem: ev.tMem,
      tGrok: ev.tGrok,
      lastH,
      problems: [
        ...(this.manifestProblem ? [this.manifestProblem] : []),
        ...(this.summaryProblem ? [this.summaryProblem] : []),
        ...this.tail.skipped.slice(-5),
      ],
    };
  }

  private readManifest(): boolean {
    const file = path.join(this.dir, 'manifest.json');
    try {
      const m = JSON.parse(fs.readFileSync(containedFile(file, this.root), 'utf8')) as unknown;
      const problems = runManifestProblems(m);
      if (problems.length) throw new Error(problems.join('; '));
      this.manifest = m as RunManifest;
      this.manifestProblem = null;
      return true;
    } catch (err) {
      const was = this.manifestProblem;
      this.manifestProblem = `${file}: ${(err as Error).message}`;
      return was !== this.manifestProblem;
    }
  }

  /** summary.json appears when a run ends; re-read only when its modification time changes. */
  private readSummary(): boolean {
    const file = path.join(this.dir, 'summary.json');
    let mtime: number;
    try {
      mtime = fs.statSync(file).mtimeMs;
    } catch {
      const had = this.summary !== null || this.summaryProblem !== null;
      this.summary = null;
      this.summaryProblem = null;
      this.summaryMtime = -1;
      return had;
    }
    if (mtime === this.summaryMtime) return false;
    this.summaryMtime = mtime;
    try {
      const s = JSON.parse(fs.readFileSync(containedFile(file, this.root), 'utf8')) as Partial<RunSummary> | null;
      if (typeof s?.status !== 'string' || typeof s.steps !== 'number')
        throw new Error('needs "status" (string) and "steps" (number)');
      this.summary = s as RunSummary;
      this.summaryProblem = null;
    } catch (err) {
      // Being written right now, most likely: read again on the next refresh. Shown as changed
      // only when it is (a link out of the folders fails the same way every time).
      const was = { summary: this.summary, problem: this.summaryProblem };
      this.summary = null;
      this.summaryProblem = `${file}: ${(err as Error).message}`;
      this.summaryMtime = -1;
      return was.summary !== null || was.problem !== this.summaryProblem;
    }
    return true;
  }
}
