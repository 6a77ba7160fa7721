import {
  crossingStep,
  entropyBandLayer,
  onlineForecast,
  PAPER_THRESHOLD,
  runAlignmentSpec,
  runChartSpec,
  liveForecastSpec,
  type RunRecord,
} from '@grokscope/analysis';
import type { RunRow, RunWatch } from './runWatch';
import type { StudyLaw } from './studyLaw';

/** At most this many points per chart line: a 100k-record log still draws at once (docs/dashboard.md § Scale). */
export const MAX_CHART_POINTS = 1500;

/** What the page shows for one run: its row, the events, the law and the Vega-Lite specs (from the analysis package). */
export interface RunDetail {
  readonly row: RunRow;
  readonly tCross: number | null;
  readonly threshold: number;
  /** Where H̃* came from: the study's finished runs, or the paper's value while there are none. */
  readonly thresholdFrom: string;
  readonly law: StudyLaw;
  /** The latest forecast of t_grok (null: no law, or H̃ is already at or below H̃*). */
  readonly forecast: { readonly step: number; readonly predicted: number | null } | null;
  readonly specs: { readonly run: object; readonly alignment: object | null; readonly forecast: object | null };
}

export function runDetail(w: RunWatch, law: StudyLaw): RunDetail {
  const records = w.records;
  const ev = w.events;
  const threshold = law.threshold ?? PAPER_THRESHOLD;
  const thresholdFrom =
    law.threshold !== null
      ? 'H̃* of this study (max of the finished runs’ minima)'
      : `the paper’s H̃* = ${PAPER_THRESHOLD} (no finished grokked run in this study yet)`;
  const tCross = crossingStep(records, threshold, ev.tMem);
  const shown = thin(records, MAX_CHART_POINTS, [ev.tMem, tCross, ev.tGrok]);
  const run = runChartSpec(
    { name: w.name, records: shown },
    { tMem: ev.tMem, tCross, tGrok: ev.tGrok, threshold },
    {
      trainAccuracy: true,
      labelSteps: true,
      subtitle: `${w.condition} · ${w.status}${records.length > shown.length ? ` · ${shown.length} of ${records.length} evaluations drawn` : ''}`,
    },
  ) as { layer?: object[] };
  // The H̃* band (the study's per-run minima) under the lines.
  const withBand =
    law.band && run.layer ? { ...run, layer: [entropyBandLayer(law.band.lo, law.band.hi), ...run.layer] } : run;
  const online = law.fit && law.threshold !== null ? onlineForecast(records, law.threshold, law.fit) : [];
  const points = online.filter((p): p is { step: number; h: number; predicted: number } => p.predicted !== null);
  const last = online[online.length - 1];
  return {
    row: w.row(),
    tCross,
    threshold,
    thresholdFrom,
    law,
    forecast: last ? { step: last.step, predicted: last.predicted } : null,
    specs: {
      run: withBand,
      alignment: runAlignmentSpec(w.name, shown),
      forecast: law.fit ? liveForecastSpec(w.name, thin(points, MAX_CHART_POINTS, []), ev.tGrok, law.from) : null,
    },
  };
}

/**
 * Every k-th record, plus the first, the last and those at the given steps, so a long log keeps
 * its shape and its events in at most about `max` points.
 */
export function thin<T extends Pick<RunRecord, 'step'>>(
  records: readonly T[],
  max: number,
  keepSteps: readonly (number | null)[],
): T[] {
  if (records.length <= max) return [...records];
  const k = Math.ceil(records.length / max);
  const keep = new Set(keepSteps.filter((s): s is number => s !== null));
  return records.filter((r, i) => i % k === 0 || i === records.length - 1 || keep.has(r.step));
}
