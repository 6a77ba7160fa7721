import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ForecastPoint } from './forecast';
import type { RunData } from './runReader';

/** Where a run chart draws its vertical event rules (null: not reached) and, optionally, H̃* as a horizontal rule. */
export interface ChartEvents {
  readonly tCross: number | null;
  readonly tGrok: number | null;
  readonly threshold?: number | null;
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

/** SVG of H̃, test accuracy and weight norm against step, with t_cross and t_grok as rules. */
export function renderRunChart(run: Pick<RunData, 'name' | 'records'>, events: ChartEvents, entropyTag = 'entropy/Hn'): Promise<string> {
  return renderSvg(runChartSpec(run, events, entropyTag));
}

/** SVG of the forecast t̂_grok at each step against the actual t_grok. */
export function renderForecastChart(name: string, points: readonly ForecastPoint[]): Promise<string> {
  return renderSvg(forecastChartSpec(name, points));
}

/** The Vega-Lite spec behind renderRunChart; the weight norm is divided by its maximum so all three share one [0, 1] axis. */
export function runChartSpec(run: Pick<RunData, 'name' | 'records'>, events: ChartEvents, entropyTag = 'entropy/Hn'): TopLevelSpec {
  const maxNorm = Math.max(1e-12, ...run.records.map((r) => r.metrics['norm/weights'] ?? 0));
  const values = run.records.flatMap((r) => {
    const h = r.metrics[entropyTag];
    const acc = r.metrics['accuracy/test'];
    const norm = r.metrics['norm/weights'];
    return [
      ...(h !== undefined ? [{ step: r.step, series: 'H̃', value: h }] : []),
      ...(acc !== undefined ? [{ step: r.step, series: 'test accuracy', value: acc }] : []),
      ...(norm !== undefined ? [{ step: r.step, series: '‖θ‖ / max ‖θ‖', value: norm / maxNorm }] : []),
    ];
  });
  const rules = [
    ...(events.tCross !== null ? [{ step: events.tCross, event: 't_cross' }] : []),
    ...(events.tGrok !== null ? [{ step: events.tGrok, event: 't_grok' }] : []),
  ];
  const threshold = events.threshold ?? null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: run.name,
    width: 560,
    height: 280,
    layer: [
      {
        data: { values },
        mark: 'line',
        encoding: {
          x: { field: 'step', type: 'quantitative' },
          y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1.05] }, title: null },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
      { data: { values: rules }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'step', type: 'quantitative' } } },
      { data: { values: rules }, mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, color: '#333' }, encoding: { x: { field: 'step', type: 'quantitative' }, y: { value: 2 }, text: { field: 'event' } } },
      ...(threshold !== null ? [{ data: { values: [{ value: threshold }] }, mark: { type: 'rule', strokeDash: [2, 2], color: '#999' }, encoding: { y: { field: 'value', type: 'quantitative' } } }] : []),
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
      { data: { values: [...points] }, mark: { type: 'line', point: true }, encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative', title: 'forecast t_grok' } } },
      { data: { values: actual }, mark: { type: 'rule', color: 'firebrick' }, encoding: { y: { field: 'actual', type: 'quantitative' } } },
      { data: { values: actual }, mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -3, color: 'firebrick' }, encoding: { x: { value: 4 }, y: { field: 'actual', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}
