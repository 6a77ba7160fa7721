import * as path from 'node:path';
import { studyLaw, type StudyLaw } from '@grokscope/analysis';
import type { RunWatch } from './runWatch';

export type { StudyLaw } from '@grokscope/analysis';

/**
 * The law a run's live forecast uses: fitted by analyzeForecast on the finished runs of the same
 * study (the run's parent folder), of the run's condition when there are such runs, never the
 * run itself — as `grokscope forecast --fit-from` does. Cached until that set of runs changes.
 */
export class StudyLaws {
  private readonly cache = new Map<string, { key: string; law: StudyLaw }>();

  lawFor(run: RunWatch, all: readonly RunWatch[]): StudyLaw {
    const study = path.dirname(run.dir);
    const finished = all.filter((w) => w !== run && w.finished && path.dirname(w.dir) === study);
    const same = finished.filter((w) => w.condition === run.condition);
    const pool = same.length ? same : finished;
    const which = same.length ? `condition ${run.condition}` : 'all conditions';
    const key = pool
      .map((w) => `${w.id}:${w.records.length}`)
      .sort()
      .join('|');
    const slot = `${study}\u0000${run.id}`;
    const hit = this.cache.get(slot);
    if (hit?.key === key) return hit.law;
    const law = studyLaw(pool, which);
    this.cache.set(slot, { key, law });
    return law;
  }
}
