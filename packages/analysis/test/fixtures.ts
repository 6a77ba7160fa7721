import { RUN_FORMAT } from '@grokscope/base';
import type { RunData, RunRecord } from '../src/runReader';

/** Records from rows of [step, train accuracy, test accuracy, H̃, weight norm]. */
export const recs = (rows: readonly (readonly [number, number, number, number, number])[]): RunRecord[] =>
  rows.map(([step, tr, te, h, n]) => ({
    step,
    wallMs: step,
    metrics: { 'accuracy/train': tr, 'accuracy/test': te, 'entropy/Hn': h, 'norm/weights': n },
  }));

// Hand-worked runs used across the tests.
// A: t_mem 100 (0.99 counts), t_grok 400; m_A = min H̃ over (100, 400] = 0.50; norm peaks at 200.
export const A = recs([
  [0, 0.1, 0.1, 0.8, 10],
  [100, 0.99, 0.2, 0.78, 14],
  [200, 1, 0.3, 0.7, 16],
  [300, 1, 0.6, 0.55, 15],
  [400, 1, 0.96, 0.5, 13],
  [500, 1, 1, 0.45, 12],
]);
// B: t_mem 100, t_grok 300 (0.95 counts); m_B = min(0.60, 0.62) = 0.60.
export const B = recs([
  [0, 0.1, 0.1, 0.82, 10],
  [100, 1, 0.2, 0.8, 12],
  [200, 1, 0.5, 0.6, 11],
  [300, 1, 0.95, 0.62, 10],
]);
// C: memorises at 100 and never groks: censored.
export const C = recs([
  [0, 0.1, 0.1, 0.8, 10],
  [100, 1, 0.2, 0.75, 12],
  [200, 1, 0.3, 0.7, 13],
]);

/** A run as readRun returns it; finished (status completed at its last step) unless `summary` says otherwise. */
export const run = (
  name: string,
  records: readonly RunRecord[],
  condition = 'baseline',
  summary: RunData['summary'] = { status: 'completed', steps: records.length ? records[records.length - 1]!.step : 0 },
): RunData => ({
  dir: `/runs/${name}`,
  name,
  manifest: { format: RUN_FORMAT, trainer: { name: 'analysis-tests', version: '1' }, config: { condition }, seed: 0 },
  records,
  summary,
  condition,
  warnings: [],
});
