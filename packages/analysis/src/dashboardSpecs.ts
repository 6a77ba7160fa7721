import type { TopLevelSpec } from 'vega-lite';
import { forecastLayers, runChartSpec, X_AXIS } from './charts';
import { METRIC_TAGS } from '@grokscope/base';
import { crossingStep, type EventOptions } from './events';
import { analyzeForecast, onlineForecast } from './forecast';
import type { PowerLawFit } from './powerLaw';
import type { RunRecord } from './runReader';
import { OUTCOME_COLOURS, SERIES, seriesColourScale } from './seriesColours';
import { PAPER_THRESHOLD, runMinimum } from './threshold';

// The Vega-Lite specs the live dashboard and the browser lab draw beside runChartSpec (charts.ts):
// built here, in the analysis package, so both pages and the SVG reports share one source of
// every chart, and the law and events each live view is drawn with.

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const W = 560;

/** A run to overlay in compareSpec. */
export interface CompareRun {
  readonly name: string;
  readonly records: readonly RunRecord[];
  /** The run's t_grok (null: not grokked yet, or censored). */
  readonly tGrok: number | null;
}

export interface CompareOptions {
  /** `start`: x is the step; `t_grok`: x is step − t_grok (runs without t_grok are left out and counted in the subtitle). */
  readonly align: 'start' | 't_grok';
  readonly entropyTag?: string;
}

/** H̃ and test accuracy of several runs, one line per run, aligned at step 0 or at each run's t_grok. */
export function compareSpec(runs: readonly CompareRun[], o: CompareOptions): TopLevelSpec {
  const tag = o.entropyTag ?? METRIC_TAGS.entropyHn;
  const shown = o.align === 't_grok' ? runs.filter((r) => r.tGrok !== null) : runs;
  const left = runs.length - shown.length;
  const values = shown.flatMap((r) =>
    r.records.flatMap((rec) => {
      const x = o.align === 't_grok' ? rec.step - r.tGrok! : rec.step;
      const h = rec.metrics[tag];
      const acc = rec.metrics[METRIC_TAGS.accuracyTest];
      return [
        ...(h !== undefined ? [{ run: r.name, x, series: SERIES.entropy, value: h }] : []),
        ...(acc !== undefined ? [{ run: r.name, x, series: SERIES.testAccuracy, value: acc }] : []),
      ];
    }),
  );
  const xTitle = o.align === 't_grok' ? 'steps relative to t_grok (step − t_grok)' : 'step';
  const subtitle = [
    `${shown.length} run${shown.length === 1 ? '' : 's'}, aligned at ${o.align === 't_grok' ? 't_grok' : 'step 0'}`,
    ...(left ? [`${left} run${left === 1 ? '' : 's'} without t_grok not shown`] : []),
  ];
  return {
    $schema: SCHEMA,
    title: { text: 'H̃ (solid) and test accuracy (dashed) per run', subtitle },
    width: W,
    height: 300,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, axis: X_AXIS },
      y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1.05] }, title: 'H̃, test accuracy' },
      color: { field: 'run', type: 'nominal', title: 'run', legend: { orient: 'bottom', columns: 2 } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: {
          domain: [SERIES.entropy, SERIES.testAccuracy],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
      },
      detail: { field: 'series', type: 'nominal' },
    },
  } as TopLevelSpec;
}

/**
 * The live forecast of t_grok made at each evaluation so far (onlineForecast's points), with the
 * actual t_grok as a rule once the run has grokked (the report's forecast chart, charts.ts).
 */
export function liveForecastSpec(
  name: string,
  points: readonly { readonly step: number; readonly predicted: number }[],
  tGrok: number | null,
  subtitle?: string,
): TopLevelSpec {
  // Only once there is a t_grok: an empty layer would give its scale an infinite extent.
  const actual = tGrok !== null ? { value: tGrok, label: `actual t_grok = ${tGrok}` } : null;
  return {
    $schema: SCHEMA,
    title: subtitle ? { text: `${name}: forecast of t_grok`, subtitle } : `${name}: forecast of t_grok`,
    width: W,
    height: 220,
    layer: forecastLayers(points, actual, W, 'step the forecast was made at'),
  } as TopLevelSpec;
}

/** Fourier alignment and H̃ of one run against step; null when the run recorded no alignment. */
export function runAlignmentSpec(
  name: string,
  records: readonly RunRecord[],
  alignmentTag: string = METRIC_TAGS.fourierAlignment,
  entropyTag: string = METRIC_TAGS.entropyHn,
): TopLevelSpec | null {
  const values = records.flatMap((r) => {
    const a = r.metrics[alignmentTag];
    const h = r.metrics[entropyTag];
    if (a === undefined) return [];
    const entropy = h !== undefined ? [{ step: r.step, series: SERIES.entropy, value: h }] : [];
    return [{ step: r.step, series: SERIES.alignment, value: a }, ...entropy];
  });
  if (!values.length) return null;
  const withEntropy = values.some((v) => v.series === SERIES.entropy);
  const drawn = withEntropy ? [SERIES.alignment, SERIES.entropy] : [SERIES.alignment];
  return {
    $schema: SCHEMA,
    title: { text: `${name}: Fourier alignment`, subtitle: 'share of embedding energy in the top Fourier frequencies' },
    width: W,
    height: 200,
    data: { values },
    mark: 'line',
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step', axis: X_AXIS },
      y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: 'alignment, H̃' },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: seriesColourScale(drawn),
      },
    },
  } as TopLevelSpec;
}

/**
 * A shaded horizontal band from `lo` to `hi` (the study's per-run minima m_r, whose maximum is
 * H̃*; docs/science.md § Threshold), as a layer to put under runChartSpec's lines.
 */
export function entropyBandLayer(lo: number, hi: number): Record<string, unknown> {
  return {
    data: { values: [{ lo, hi }] },
    mark: { type: 'rect', color: OUTCOME_COLOURS.minimaBand, opacity: 0.15 },
    encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
  };
}

/** At most this many points per chart line: a 100k-record log still draws at once (docs/dashboard.md § Scale). */
export const MAX_CHART_POINTS = 1500;

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

/** The forecast law of a set of runs (a study, the lab's runs), as the live views draw it. */
export interface StudyLaw {
  /** H̃* (max of the finished runs' minima m_r; docs/science.md § Threshold). */
  readonly threshold: number | null;
  /** The per-run minima's range: the H̃* band. */
  readonly band: { readonly lo: number; readonly hi: number } | null;
  readonly fit: PowerLawFit | null;
  /** Which runs it came from, in words. */
  readonly from: string;
}

/** A finished run a law is fitted on. */
export interface LawRun {
  readonly id: string;
  readonly records: readonly RunRecord[];
  readonly eventOptions?: EventOptions;
}

/**
 * The law fitted on finished runs (`pool`): H̃*, the band of their minima and the power law of
 * analyzeForecast, as `grokscope forecast --fit-from` fits it. `which` says in words which runs
 * they are (`condition baseline`).
 */
export function studyLaw(pool: readonly LawRun[], which: string): StudyLaw {
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

/** A run as a live view shows it: its records so far and its events. */
export interface LiveRun {
  readonly name: string;
  readonly condition: string;
  readonly status: string;
  readonly records: readonly RunRecord[];
  readonly events: { readonly tMem: number | null; readonly tGrok: number | null };
}

/** What a live view draws for one run: the events, H̃* and where it came from, the forecast, the Vega-Lite specs. */
export interface LiveRunView {
  readonly tCross: number | null;
  readonly threshold: number;
  /** Where H̃* came from: the study's finished runs, or the paper's value while there are none. */
  readonly thresholdFrom: string;
  /** The latest forecast of t_grok (null: no law, or H̃ is already at or below H̃*). */
  readonly forecast: { readonly step: number; readonly predicted: number | null } | null;
  readonly specs: { readonly run: object; readonly alignment: object | null; readonly forecast: object | null };
}

/**
 * One run's live charts under a law: H̃ with the H̃* band, train and test accuracy and the weight
 * norm with t_mem, t_cross and t_grok marked (runChartSpec), Fourier alignment, and the t_grok
 * forecast made at each evaluation so far. The dashboard and the browser lab draw exactly these.
 */
export function liveRunView(run: LiveRun, law: StudyLaw): LiveRunView {
  const records = run.records;
  const ev = run.events;
  const threshold = law.threshold ?? PAPER_THRESHOLD;
  const thresholdFrom =
    law.threshold !== null
      ? 'H̃* of this study (max of the finished runs’ minima)'
      : `the paper’s H̃* = ${PAPER_THRESHOLD} (no finished grokked run in this study yet)`;
  const tCross = crossingStep(records, threshold, ev.tMem);
  const shown = thin(records, MAX_CHART_POINTS, [ev.tMem, tCross, ev.tGrok]);
  const chart = runChartSpec(
    { name: run.name, records: shown },
    { tMem: ev.tMem, tCross, tGrok: ev.tGrok, threshold },
    {
      trainAccuracy: true,
      labelSteps: true,
      subtitle: `${run.condition} · ${run.status}${records.length > shown.length ? ` · ${shown.length} of ${records.length} evaluations drawn` : ''}`,
    },
  ) as { layer?: object[] };
  // The H̃* band (the study's per-run minima) under the lines.
  const withBand =
    law.band && chart.layer ? { ...chart, layer: [entropyBandLayer(law.band.lo, law.band.hi), ...chart.layer] } : chart;
  const online = law.fit && law.threshold !== null ? onlineForecast(records, law.threshold, law.fit) : [];
  const points = online.filter((p): p is { step: number; h: number; predicted: number } => p.predicted !== null);
  const last = online[online.length - 1];
  return {
    tCross,
    threshold,
    thresholdFrom,
    forecast: last ? { step: last.step, predicted: last.predicted } : null,
    specs: {
      run: withBand,
      alignment: runAlignmentSpec(run.name, shown),
      forecast: law.fit ? liveForecastSpec(run.name, thin(points, MAX_CHART_POINTS, []), ev.tGrok, law.from) : null,
    },
  };
}
