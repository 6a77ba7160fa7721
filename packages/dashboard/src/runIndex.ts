import * as fs from 'node:fs';
import * as path from 'node:path';
import { findRunDirs, type RunRecord } from '@grokscope/analysis';
import { containedFile, isInside } from './containedFile';
import { RunWatch, type LiveCheck } from './runWatch';

/** What changed in one refresh. */
export interface IndexChange {
  /** Runs whose shown state changed, with the records that arrived (possibly none). */
  readonly runs: readonly { readonly id: string; readonly added: readonly RunRecord[] }[];
  /** Runs appeared or went away: the overview's list changed. */
  readonly listChanged: boolean;
}

/** A reproduce study's claims, read from its report.json. */
export interface StudyClaims {
  /** The study folder relative to its root. */
  readonly study: string;
  readonly rootIndex: number;
  readonly claims: readonly {
    readonly id: string;
    readonly claim: string;
    readonly ours: string;
    readonly verdict: string;
    readonly n: number;
  }[];
}

/**
 * Every run found under the dashboard's folders (runs, sweeps, reproduce studies), kept up to
 * date by `refresh`: new folders are found by a rescan (at most every `rescanMs`), a folder
 * that disappears is dropped, and each run reads only what was appended since the last refresh.
 */
export class RunIndex {
  readonly roots: readonly string[];
  private readonly byId = new Map<string, RunWatch>();
  private lastScan = -Infinity;

  constructor(
    roots: readonly string[],
    private readonly isLive: LiveCheck,
    private readonly rescanMs = 2000,
  ) {
    this.roots = roots.map((r) => path.resolve(r));
  }

  get runs(): RunWatch[] {
    return [...this.byId.values()];
  }

  get(id: string): RunWatch | undefined {
    return this.byId.get(id);
  }

  /** `<root index>/<path under the root>`: stable while the folder exists, whatever else appears. */
  idOf(rootIndex: number, dir: string): string {
    return `${rootIndex}/${path.relative(this.roots[rootIndex]!, dir).split(path.sep).join('/') || '.'}`;
  }

  refresh(now = Date.now()): IndexChange {
    let listChanged = false;
    if (now - this.lastScan >= this.rescanMs) {
      this.lastScan = now;
      listChanged = this.scan();
    }
    const runs: { id: string; added: readonly RunRecord[] }[] = [];
    for (const w of this.byId.values()) {
      if (!fs.existsSync(w.dir)) {
        // The folder was removed or moved: drop it; the dashboard keeps serving the others.
        this.byId.delete(w.id);
        listChanged = true;
        continue;
      }
      const { added, changed } = w.refresh(this.isLive);
      if (changed) runs.push({ id: w.id, added });
    }
    return { runs, listChanged };
  }

  /** The claims tables of the reproduce studies under the roots (<study>/report/report.json). */
  studies(): StudyClaims[] {
    const folders = new Map<string, { rootIndex: number; dir: string }>();
    this.roots.forEach((root, rootIndex) => folders.set(root, { rootIndex, dir: root }));
    for (const w of this.byId.values()) {
      const rootIndex = this.roots.indexOf(w.root);
      for (let d = path.dirname(w.dir); d.startsWith(w.root) && !folders.has(d); d = path.dirname(d))
        folders.set(d, { rootIndex, dir: d });
    }
    const out: StudyClaims[] = [];
    for (const { rootIndex, dir } of folders.values()) {
      const file = path.join(dir, 'report', 'report.json');
      let doc: { claims?: unknown };
      try {
        doc = JSON.parse(fs.readFileSync(containedFile(file, this.roots[rootIndex]!), 'utf8')) as { claims?: unknown };
      } catch {
        continue; // no report (yet), one being written, or a link out of the folders
      }
      if (!Array.isArray(doc.claims)) continue;
      const claims = (doc.claims as Record<string, unknown>[]).map((c) => ({
        id: String(c['id'] ?? ''),
        claim: String(c['claim'] ?? ''),
        ours: String(c['ours'] ?? ''),
        verdict: String(c['verdict'] ?? ''),
        n: Number(c['n'] ?? 0),
      }));
      out.push({ study: path.relative(this.roots[rootIndex]!, dir) || '.', rootIndex, claims });
    }
    return out.sort((a, b) => a.rootIndex - b.rootIndex || a.study.localeCompare(b.study));
  }

  /** Finds run folders; returns whether the set changed. */
  private scan(): boolean {
    const seen = new Set<string>();
    let changed = false;
    this.roots.forEach((root, i) => {
      if (!fs.existsSync(root)) return;
      const realRoot = fs.realpathSync(root);
      for (const dir of findRunDirs([root])) {
        // A link to a run outside the folder is not followed: the dashboard reads only under its folders.
        if (!isInside(realOrSelf(dir), realRoot)) continue;
        const id = this.idOf(i, dir);
        seen.add(id);
        if (!this.byId.has(id)) {
          this.byId.set(id, new RunWatch(id, dir, root));
          changed = true;
        }
      }
    });
    for (const id of this.byId.keys()) {
      if (!seen.has(id)) {
        this.byId.delete(id);
        changed = true;
      }
    }
    return changed;
  }
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
