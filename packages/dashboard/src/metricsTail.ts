import * as fs from 'node:fs';
import { containedFile } from './containedFile';
import { parseRunRecord, RunReadError, type RunRecord } from '@grokscope/analysis';

/** What one `poll` found. */
export interface TailUpdate {
  /** Records completed since the last poll, in order. */
  readonly added: readonly RunRecord[];
  /** The file was replaced or cut shorter (a run restarted in the same folder): `records` was read anew. */
  readonly reset: boolean;
  /** Lines skipped in this poll, each naming the file and line and why. */
  readonly warnings: readonly string[];
}

const CHUNK = 1 << 20;

/**
 * Follows a growing metrics.jsonl: each `poll` reads only the bytes written since the previous
 * one (from the last offset), so a 100k-record log is parsed once, not on every update
 * (docs/dashboard.md § Live). A last line without its newline is a write in progress: it is kept
 * back until it is complete. A complete line that is not a record (or a step that does not
 * increase) is skipped with a warning, so one bad line never stops the dashboard; readRun, the
 * strict reader the reports use, still refuses such a file.
 */
export class MetricsTail {
  private offset = 0;
  /** Bytes after the last newline: kept as bytes so a multi-byte character split across reads survives. */
  private pending: Buffer = Buffer.alloc(0);
  private lineNo = 0;
  private ino: number | null = null;
  private readonly recs: RunRecord[] = [];
  /** Every line skipped so far (bounded: the most recent 100). */
  readonly skipped: string[] = [];

  /** The last containment problem reported, so it is warned about once, not on every poll. */
  private outside: string | null = null;

  /** `root`: the dashboard folder the run lies in; a log that links out of it is not read. */
  constructor(
    readonly file: string,
    readonly root?: string,
  ) {}

  /** Every record read so far. */
  get records(): readonly RunRecord[] {
    return this.recs;
  }

  /** Bytes consumed so far (complete lines only). */
  get bytesRead(): number {
    return this.offset - this.pending.length;
  }

  poll(): TailUpdate {
    let st: fs.Stats;
    let real = this.file;
    try {
      if (this.root !== undefined) real = containedFile(this.file, this.root);
      st = fs.statSync(real);
    } catch (err) {
      // Not written yet, or the run folder went away: nothing new; what was read stays shown.
      if ((err as NodeJS.ErrnoException).code !== undefined) return { added: [], reset: false, warnings: [] };
      return this.refuse(`${this.file}: ${(err as Error).message}`);
    }
    this.outside = null;
    let reset = false;
    if (st.size < this.offset || (this.ino !== null && st.ino !== this.ino)) {
      reset = true;
      this.offset = 0;
      this.pending = Buffer.alloc(0);
      this.lineNo = 0;
      this.recs.length = 0;
    }
    this.ino = st.ino;
    if (st.size === this.offset) return { added: [], reset, warnings: [] };
    const fresh = this.readFrom(real, this.offset, st.size);
    this.offset += fresh.length;
    const bytes = this.pending.length ? Buffer.concat([this.pending, fresh]) : fresh;
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (lastNewline < 0) {
      this.pending = bytes;
      return { added: [], reset, warnings: [] };
    }
    this.pending = Buffer.from(bytes.subarray(lastNewline + 1));
    const added: RunRecord[] = [];
    const warnings: string[] = [];
    for (const line of bytes.subarray(0, lastNewline).toString('utf8').split('\n')) {
      this.lineNo++;
      if (line.trim() === '') continue;
      const where = `line ${this.lineNo}`;
      try {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          throw new RunReadError(this.file, `${where} is not valid JSON; skipped`);
        }
        const rec = parseRunRecord(value, this.file, where);
        const prev = this.recs[this.recs.length - 1];
        if (prev !== undefined && rec.step <= prev.step)
          throw new RunReadError(this.file, `${where}: step ${rec.step} does not follow step ${prev.step}; skipped`);
        this.recs.push(rec);
        added.push(rec);
      } catch (err) {
        if (!(err instanceof RunReadError)) throw err;
        warnings.push(err.message);
      }
    }
    this.skipped.push(...warnings);
    if (this.skipped.length > 100) this.skipped.splice(0, this.skipped.length - 100);
    return { added, reset, warnings };
  }

  /** A log that links out of the dashboard's folders: nothing of it is shown, and the warning is given once. */
  private refuse(problem: string): TailUpdate {
    const reset = this.recs.length > 0 || this.offset > 0;
    this.offset = 0;
    this.pending = Buffer.alloc(0);
    this.lineNo = 0;
    this.ino = null;
    this.recs.length = 0;
    if (this.outside === problem) return { added: [], reset, warnings: [] };
    this.outside = problem;
    this.skipped.push(problem);
    return { added: [], reset, warnings: [problem] };
  }

  private readFrom(file: string, start: number, end: number): Buffer {
    const fd = fs.openSync(file, 'r');
    try {
      const out = Buffer.alloc(end - start);
      let at = 0;
      while (at < out.length) {
        const n = fs.readSync(fd, out, at, Math.min(CHUNK, out.length - at), start + at);
        if (n === 0) break; // shrank meanwhile: the next poll sees the new size
        at += n;
      }
      return out.subarray(0, at);
    } finally {
      fs.closeSync(fd);
    }
  }
}
