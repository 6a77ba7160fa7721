import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { METRIC_TAGS } from '@grokscope/base';
import type { ForecastPoint } from './forecast';
import { extentDomain, horizontalRuleLayers, verticalRuleLayers, type LabelledRule as Rule } from './ruleLayers';
import type { RunData } from './runReader';
import { SERIES, seriesColourScale } from './seriesColours';

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
export function renderRunChart(
  run: Pick<RunData, 'name' | 'records'>,
  events: ChartEvents,
  options: string | RunChartOptions = {},
): Promise<string> {
  return renderSvg(runChartSpec(run, events, options));
}

/** SVG of the forecast t̂_grok at each step against the actual t_grok. */
export function renderForecastChart(name: string, points: readonly ForecastPoint[]): Promise<string> {
  return renderSvg(forecastChartSpec(name, points));
}

const CHART_WIDTH = 560;

/**
 * Every chart's x axis: labels centred on their ticks. Vega's default sets the last label flush
 * against the axis end, where it can run into its neighbour ("2,4002,600").
 */
export const X_AXIS = { labelFlush: false } as const;

/** The dashed event rules of every chart, and the dotted H̃* rule, with their labels' colours. */
const EVENT_RULE = { ruleColour: '#555', labelColour: '#333', strokeDash: [4, 3] } as const;
const THRESHOLD_RULE = { ruleColour: '#999', labelColour: '#666', strokeDash: [2, 2] } as const;

/**
 * The Vega-Lite spec behind renderRunChart; the weight norm is divided by its maximum so all
 * series share one [0, 1] axis. Event labels stand in rows above the plot and the H̃* label right
 * of it (ruleLayers.ts): never on a curve.
 */
export function runChartSpec(
  run: Pick<RunData, 'name' | 'records'>,
  events: ChartEvents,
  options: string | RunChartOptions = {},
): TopLevelSpec {
  const o: RunChartOptions = typeof options === 'string' ? { entropyTag: options } : options;
  const entropyTag = o.entropyTag ?? METRIC_TAGS.entropyHn;
  const maxNorm = Math.max(1e-12, ...run.records.map((r) => r.metrics[METRIC_TAGS.normWeights] ?? 0));
  const values = run.records.flatMap((r) => {
    const h = r.metrics[entropyTag];
    const acc = r.metrics[METRIC_TAGS.accuracyTest];
    const train = o.trainAccuracy ? r.metrics[METRIC_TAGS.accuracyTrain] : undefined;
    const norm = r.metrics[METRIC_TAGS.normWeights];
    return [
      ...(h !== undefined ? [{ step: r.step, series: SERIES.entropy, value: h }] : []),
      ...(train !== undefined ? [{ step: r.step, series: SERIES.trainAccuracy, value: train }] : []),
      ...(acc !== undefined ? [{ step: r.step, series: SERIES.testAccuracy, value: acc }] : []),
      ...(norm !== undefined ? [{ step: r.step, series: SERIES.relativeNorm, value: norm / maxNorm }] : []),
    ];
  });
  const order = [SERIES.entropy, SERIES.trainAccuracy, SERIES.testAccuracy, SERIES.relativeNorm];
  const drawn = order.filter((s) => values.some((v) => v.series === s));
  const marked: [string, number | null][] = [
    ['t_mem', events.tMem ?? null],
    ['t_cross', events.tCross],
    ['t_grok', events.tGrok],
  ];
  const reached = marked.filter((e): e is [string, number] => e[1] !== null);
  const rules = reached.map(([event, step]) => ({ value: step, label: o.labelSteps ? `${event} = ${step}` : event }));
  // Exactly the steps drawn, not Vega's rounded-out domain: event labels are placed in pixels of this scale.
  const domain = extentDomain([...run.records.map((r) => r.step), ...rules.map((r) => r.value)]);
  const threshold = events.threshold ?? null;
  const thresholdLabel = o.thresholdLabel ?? (threshold !== null ? `H̃* = ${Number(threshold.toFixed(3))}` : '');
  const thresholdRule = threshold !== null ? { value: threshold, label: thresholdLabel } : null;
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
          x: { field: 'step', type: 'quantitative', title: 'step', scale: { domain, nice: false }, axis: X_AXIS },
          y: {
            field: 'value',
            type: 'quantitative',
            scale: { domain: [0, 1.05] },
            title: 'H̃, accuracy, ‖θ‖ / max ‖θ‖',
          },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: seriesColourScale(drawn),
            // Below the plot: the margin right of it holds the H̃* label.
            legend: { orient: 'bottom' },
          },
        },
      },
      ...verticalRuleLayers(rules, domain, CHART_WIDTH, { field: 'step', ...EVENT_RULE }),
      ...(thresholdRule ? horizontalRuleLayers(thresholdRule, CHART_WIDTH, { field: 'value', ...THRESHOLD_RULE }) : []),
    ],
  } as TopLevelSpec;
}

/** A forecast of t_grok made at a step. */
interface Forecast {
  readonly step: number;
  readonly predicted: number;
}

/** The solid rule of the actual t_grok. */
const ACTUAL_RULE = { ruleColour: 'firebrick', labelColour: 'firebrick', strokeDash: [] } as const;

/**
 * The layers of a forecast chart: t̂_grok at each step (a line with points, kept off the plot's
 * edges) and, when known, the actual t_grok as a rule labelled right of the plot.
 */
export function forecastLayers(points: readonly Forecast[], actual: Rule | null, width: number, xTitle = 'step') {
  // Pixels of room around the points, so a point on the first or last step is drawn whole (not
  // rounded out to the next tick as well: that would leave a wide empty strip).
  const room = { padding: 8, zero: false, nice: false };
  return [
    {
      data: { values: [...points] },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: xTitle, scale: room, axis: X_AXIS },
        y: { field: 'predicted', type: 'quantitative', scale: room, title: 'forecast t_grok' },
      },
    },
    ...(actual ? horizontalRuleLayers(actual, width, { field: 'predicted', ...ACTUAL_RULE }) : []),
  ];
}

/** The Vega-Lite spec behind renderForecastChart. */
export function forecastChartSpec(name: string, points: readonly ForecastPoint[]): TopLevelSpec {
  const actual = points.length ? { value: points[0]!.actual, label: 'actual t_grok' } : null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${name}: forecast of t_grok`,
    width: CHART_WIDTH,
    height: 240,
    layer: forecastLayers(points, actual, CHART_WIDTH),
  } as TopLevelSpec;
}
