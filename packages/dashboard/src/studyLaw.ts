import * as path from 'node:path';
import { analyzeForecast, runMinimum, type PowerLawFit } from '@grokscope/analysis';
import type { RunWatch } from './runWatch';

/** The forecast law of a study, as the dashboard draws it. */
export interface StudyLaw {
  /** H̃* (max of the finished runs' minima m_r; docs/science.md § Threshold). */
  readonly threshold: number | null;
  /** The per-run minima's range: the H̃* band. */
  readonly band: { readonly lo: number; readonly hi: number } | null;
  readonly fit: PowerLawFit | null;
  /** Which runs it came from, in words. */
  readonly from: string;
}

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
    const law = fit(pool, which);
    this.cache.set(slot, { key, law });
    return law;
  }
}

function fit(pool: readonly RunWatch[], which: string): StudyLaw {
  if (!pool.length)
    return { threshold: null, band: null, fit: null, from: 'no finished run in this study yet: no forecast' };
  const minima = pool.map((w) => runMinimum(w.records, w.eventOptions)).filter((m): m is number => m !== null);
  const band = minima.length ? { lo: Math.min(...minima), hi: Math.max(...minima) } : null;
  const f = analyzeForecast(pool.map((w) => ({ name: w.id, records: w.records })));
  const from = f.fit
    ? `law fitted on ${pool.length} finished run(s) of this study, ${which}, ${f.observations} observations, R² ${f.fit.r2.toFixed(3)}`
    : `the ${pool.length} finished run(s) of this study (${which}) give no fit: it needs grokked runs with H̃ records above H̃*`;
  return { threshold: f.threshold, band, fit: f.fit, from };
}
