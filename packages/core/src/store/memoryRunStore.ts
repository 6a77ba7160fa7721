import { RunStoreError } from '../errors';
import type { MetricsRecord } from '../plugin';
import type { CheckpointData } from './checkpointFile';
import type { Manifest, Summary, TrainerStore } from './trainerStore';

/** Checkpoints kept: the newest and one before it, as the file store keeps them. */
const KEEP_CHECKPOINTS = 2;

/**
 * A run kept in memory: the manifest, the metrics records, the summary and the newest
 * checkpoints, with no file system (the browser lab, notebooks, tests). What it holds is what a
 * `RunStore` would write as files; `files()` gives their text in the run format.
 */
export class MemoryRunStore implements TrainerStore {
  readonly dir: string;
  #manifest: Manifest | null = null;
  #records: MetricsRecord[] = [];
  #summary: Summary | null = null;
  #checkpoints = new Map<number, CheckpointData>();

  constructor(name = 'memory') {
    this.dir = name;
  }

  get metricsPath(): string {
    return `${this.dir}/metrics.jsonl`;
  }

  exists(): boolean {
    return this.#manifest !== null;
  }

  orphanedFiles(): string[] {
    if (this.exists()) return [];
    const found: string[] = [];
    if (this.#records.length > 0) found.push('metrics.jsonl');
    if (this.#summary) found.push('summary.json');
    if (this.#checkpoints.size > 0) found.push('checkpoints/');
    return found;
  }

  removeStaleTempFiles(): string[] {
    return []; // nothing is written in pieces
  }

  writeManifest(m: Manifest): void {
    this.#manifest = structuredClone(m);
  }

  get manifest(): Manifest | null {
    return this.#manifest;
  }

  readMetrics(): { records: MetricsRecord[]; truncatedTail: boolean } {
    return { records: [...this.#records], truncatedTail: false };
  }

  appendMetric(record: MetricsRecord): void {
    // A copy: what the trainer emits next must not change what was logged.
    this.#records.push(JSON.parse(JSON.stringify(record)) as MetricsRecord);
  }

  truncateMetricsAfter(step: number): MetricsRecord[] {
    this.#records = this.#records.filter((r) => r.step <= step);
    return [...this.#records];
  }

  readSummary(): Summary | null {
    return this.#summary;
  }

  writeSummary(s: Summary): void {
    this.#summary = structuredClone(s);
  }

  clearSummary(): void {
    this.#summary = null;
  }

  writeCheckpoint(data: CheckpointData): string {
    // Copies of the tensors' values: a backend may hand out its own buffer.
    const tensors = new Map([...data.tensors].map(([k, t]) => [k, { shape: [...t.shape], values: t.values.slice() }]));
    this.#checkpoints.set(data.step, { ...data, state: structuredClone(data.state), tensors });
    for (const step of [...this.#checkpoints.keys()].sort((a, b) => b - a).slice(KEEP_CHECKPOINTS))
      this.#checkpoints.delete(step);
    return checkpointName(data.step);
  }

  checkpoints(): { step: number; path: string }[] {
    return [...this.#checkpoints.keys()].sort((a, b) => b - a).map((step) => ({ step, path: checkpointName(step) }));
  }

  loadCheckpoint(where: string): CheckpointData {
    const step = Number(/(\d+)\.ckpt$/.exec(where)?.[1]);
    const data = this.#checkpoints.get(step);
    if (!data) throw new RunStoreError(where, 'no such checkpoint in memory');
    return data;
  }

  removeCheckpointsAfter(step: number): void {
    for (const s of [...this.#checkpoints.keys()]) if (s > step) this.#checkpoints.delete(s);
  }

  /** The run's files as a run directory holds them: manifest.json, metrics.jsonl and (once ended) summary.json. */
  files(): Record<string, string> {
    const out: Record<string, string> = {};
    // The same serialisation as RunStore's (JSON with two-space indent and a newline; one record a line).
    if (this.#manifest) out['manifest.json'] = JSON.stringify(this.#manifest, null, 2) + '\n';
    out['metrics.jsonl'] = this.#records.map((r) => JSON.stringify(r) + '\n').join('');
    if (this.#summary) out['summary.json'] = JSON.stringify(this.#summary, null, 2) + '\n';
    return out;
  }
}

function checkpointName(step: number): string {
  return `checkpoints/step-${String(step).padStart(9, '0')}.ckpt`;
}
