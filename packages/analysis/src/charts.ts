import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { RunData } from './runReader';

/** Renders a Vega-Lite spec to an SVG string, headless. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** H̃, test accuracy and weight norm (scaled to its max) against step, with t_cross and t_grok marked. */
export function runChartSpec(run: RunData, marks: { tCross: number | null; tGrok: number | null }, entropyTag = 'entropy/Hn'): TopLevelSpec {
  const maxNorm = Math.max(...run.records.map((r) => r.metrics['norm/weights'] ?? 0), 1e-12);
  const values = run.records.flatMap((r) => [
    ...(r.metrics[entropyTag] !== undefined ? [{ step: r.step, series: 'H̃', value: r.metrics[entropyTag] }] : []),
    ...(r.metrics['accuracy/test'] !== undefined ? [{ step: r.step, series: 'test accuracy', value: r.metrics['accuracy/test'] }] : []),
    ...(r.metrics['norm/weights'] !== undefined ? [{ step: r.step, series: '‖θ‖ / max', value: r.metrics['norm/weights']! / maxNorm }] : []),
  ]);
  const rules = [
    ...(marks.tCross !== null ? [{ step: marks.tCross, event: 't_cross', y: 0.95 }] : []),
    ...(marks.tGrok !== null ? [{ step: marks.tGrok, event: 't_grok', y: 1.02 }] : []),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: run.name,
    width: 560,
    height: 280,
    layer: [
      { data: { values }, mark: 'line', encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'value', type: 'quantitative', title: 'value', scale: { domain: [0, 1.05] } }, color: { field: 'series', type: 'nominal' } } },
      { data: { values: rules }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 'step', type: 'quantitative' }, color: { value: '#555' }, tooltip: { field: 'event' } } },
      { data: { values: rules }, mark: { type: 'text', dx: 4, align: 'left' }, encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', title: 'value' }, text: { field: 'event' } } },
    ],
  } as TopLevelSpec;
}

/** Forecast t̂_grok against step, with the actual t_grok as a rule. */
export function forecastChartSpec(name: string, points: readonly { step: number; predicted: number; actual: number }[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${name}: forecast of t_grok`,
    width: 560,
    height: 240,
    layer: [
      { data: { values: [...points] }, mark: { type: 'line', point: true }, encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative', title: 'predicted t_grok' } } },
      { data: { values: points.slice(0, 1) }, mark: { type: 'rule', color: 'firebrick' }, encoding: { y: { field: 'actual', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}
