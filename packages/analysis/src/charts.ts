import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { METRIC_TAGS } from '@grokscope/base';
import type { ForecastPoint } from './forecast';
import type { RunData } from './runReader';

/** Where a run chart draws its vertical event rules (null: not reached) and, optionally, H̃* as a horizontal rule. */
export interface ChartEvents {
  /** t_mem: drawn only when given (a run's own picture; the report's charts leave it out). */
  readonly tMem?: number | null;
  readonly tCross: number | null;
  readonly tGrok: number | null;
  readonly threshold?: number | null;
}

/** What a run chart shows beyond the report's default (H̃, test accuracy, relative weight norm). */
export interface RunChartOptions {
  /** Metric tag of H̃ (default `entropy/Hn`). */
  readonly entropyTag?: string;
  /** Also draw train accuracy. */
  readonly trainAccuracy?: boolean;
  /** Event labels carry their step (`t_grok = 1600`) instead of the name alone. */
  readonly labelSteps?: boolean;
  /** The label of the H̃* rule (default `H̃* = 0.61`). */
  readonly thresholdLabel?: string;
  /** A line under the title. */
  readonly subtitle?: string;
}

/** Renders a Vega-Lite spec to an SVG string, headless (no canvas, no browser). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** SVG of H̃, test accuracy and weight norm against step, with the events as labelled rules (a string third argument is the entropy tag). */
export function renderRunChart(run: Pick<RunData, 'name' | 'records'>, events: ChartEvents, options: string | RunChartOptions = {}): Promise<string> {
  return renderSvg(runChartSpec(run, events, options));
}

/** SVG of the forecast t̂_grok at each step against the actual t_grok. */
export function renderForecastChart(name: string, points: readonly ForecastPoint[]): Promise<string> {
  return renderSvg(forecastChartSpec(name, points));
}

const CHART_WIDTH = 560;

/** The Vega-Lite spec behind renderRunChart; the weight norm is divided by its maximum so all series share one [0, 1] axis. */
export function runChartSpec(run: Pick<RunData, 'name' | 'records'>, events: ChartEvents, options: string | RunChartOptions = {}): TopLevelSpec {
  const o: RunChartOptions = typeof options === 'string' ? { entropyTag: options } : options;
  const entropyTag = o.entropyTag ?? METRIC_TAGS.entropyHn;
  const maxNorm = Math.max(1e-12, ...run.records.map((r) => r.metrics[METRIC_TAGS.normWeights] ?? 0));
  const values = run.records.flatMap((r) => {
    const h = r.metrics[entropyTag];
    const acc = r.metrics[METRIC_TAGS.accuracyTest];
    const train = o.trainAccuracy ? r.metrics[METRIC_TAGS.accuracyTrain] : undefined;
    const norm = r.metrics[METRIC_TAGS.normWeights];
    return [
      ...(h !== undefined ? [{ step: r.step, series: 'H̃', value: h }] : []),
      ...(train !== undefined ? [{ step: r.step, series: 'train accuracy', value: train }] : []),
      ...(acc !== undefined ? [{ step: r.step, series: 'test accuracy', value: acc }] : []),
      ...(norm !== undefined ? [{ step: r.step, series: '‖θ‖ / max ‖θ‖', value: norm / maxNorm }] : []),
    ];
  });
  // Labels one row apart (pixels from the top), so events a few steps apart stay readable.
  const marked: [string, number | null][] = [
    ['t_mem', events.tMem ?? null],
    ['t_cross', events.tCross],
    ['t_grok', events.tGrok],
  ];
  const rules = marked
    .filter((e): e is [string, number] => e[1] !== null)
    .map(([event, step], i) => ({ step, event: o.labelSteps ? `${event} = ${step}` : event, row: 2 + 13 * i }));
  const threshold = events.threshold ?? null;
  const thresholdLabel = o.thresholdLabel ?? (threshold !== null ? `H̃* = ${Number(threshold.toFixed(3))}` : '');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.subtitle ? { text: run.name, subtitle: o.subtitle } : run.name,
    width: CHART_WIDTH,
    height: 280,
    layer: [
      {
        data: { values },
        mark: 'line',
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1.05] }, title: 'H̃, accuracy, ‖θ‖ / max ‖θ‖' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
      { data: { values: rules }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'step', type: 'quantitative' } } },
      {
        data: { values: rules },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, color: '#333' },
        encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'row', type: 'quantitative', scale: null }, text: { field: 'event' } },
      },
      ...(threshold !== null
        ? [
            { data: { values: [{ value: threshold }] }, mark: { type: 'rule', strokeDash: [2, 2], color: '#999' }, encoding: { y: { field: 'value', type: 'quantitative' } } },
            {
              data: { values: [{ value: threshold, label: thresholdLabel }] },
              mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: '#666' },
              encoding: { x: { value: CHART_WIDTH - 2 }, y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}

/** The Vega-Lite spec behind renderForecastChart. */
export function forecastChartSpec(name: string, points: readonly ForecastPoint[]): TopLevelSpec {
  const actual = points.length ? [{ actual: points[0]!.actual, label: 'actual t_grok' }] : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${name}: forecast of t_grok`,
    width: 560,
    height: 240,
    layer: [
      {
        data: { values: [...points] },
        mark: { type: 'line', point: true },
        encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative', title: 'forecast t_grok' } },
      },
      { data: { values: actual }, mark: { type: 'rule', color: 'firebrick' }, encoding: { y: { field: 'actual', type: 'quantitative' } } },
      {
        data: { values: actual },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -3, color: 'firebrick' },
        encoding: { x: { value: 4 }, y: { field: 'actual', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}
