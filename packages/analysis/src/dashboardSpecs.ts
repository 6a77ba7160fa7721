import type { TopLevelSpec } from 'vega-lite';
import { forecastLayers, X_AXIS } from './charts';
import { METRIC_TAGS } from '@grokscope/base';
import type { RunRecord } from './runReader';
import { OUTCOME_COLOURS, SERIES, seriesColourScale } from './seriesColours';

// The Vega-Lite specs the live dashboard draws beside runChartSpec (charts.ts): built here, in
// the analysis package, so the browser and the SVG reports share one source of every chart.

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
