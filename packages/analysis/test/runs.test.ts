import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeRuns, analyzeThreshold, crossingStep, findRunDirs, onlineForecast, readRun, renderMarkdown, renderSvg, runChartSpec, runEvents, twoPhases, writeReport, type RunRecord } from '../src';

/** Records from columns: step, train acc, test acc, H̃, norm. */
const recs = (rows: [number, number, number, number, number][]): RunRecord[] =>
  rows.map(([step, tr, te, h, n]) => ({ step, wallMs: step, metrics: { 'accuracy/train': tr, 'accuracy/test': te, 'entropy/Hn': h, 'norm/weights': n } }));

// Hand-worked runs. A: t_mem 100, t_grok 400, minimum H̃ in [100, 400] = 0.55.
const A = recs([[0, 0.1, 0.1, 0.80, 10], [100, 0.99, 0.2, 0.78, 14], [200, 1, 0.3, 0.70, 16], [300, 1, 0.6, 0.55, 15], [400, 1, 0.96, 0.50, 13], [500, 1, 1, 0.45, 12]]);
// B: t_mem 100, t_grok 300, minimum in [100, 300] = 0.60.
const B = recs([[0, 0.1, 0.1, 0.82, 10], [100, 1, 0.2, 0.80, 12], [200, 1, 0.5, 0.60, 11], [300, 1, 0.95, 0.58, 10]].map((r, i) => (i === 3 ? [r[0], r[1], r[2], 0.62, r[4]] : r)) as never);
// C never groks: censored.
const C = recs([[0, 0.1, 0.1, 0.8, 10], [100, 1, 0.2, 0.75, 12], [200, 1, 0.3, 0.70, 13]]);

test('events: t_mem, t_grok, t_cross, censoring', () => {
  expect(runEvents(A)).toEqual({ tMem: 100, tGrok: 400, censored: false });
  expect(runEvents(C)).toEqual({ tMem: 100, tGrok: null, censored: true });
  expect(crossingStep(A, 0.6, 100)).toBe(300);
  expect(crossingStep(A, 0.55, 100)).toBe(300); // reaching h counts
  expect(crossingStep(A, 0.9, 100)).toBe(200); // strictly after t_mem
  expect(runEvents(A, { grokked: 0.99 }).tGrok).toBe(500);
});

test('threshold H̃*: max of per-run minima, with leave-one-run-out', () => {
  // m_A = 0.50 (step 400 is inside [t_mem, t_grok]), m_B = 0.60 → H̃* = 0.60.
  const t = analyzeThreshold([{ name: 'A', records: A }, { name: 'B', records: B }, { name: 'C', records: C }]);
  expect(t.threshold).toBeCloseTo(0.6, 12);
  expect(t.minima!.n).toBe(2);
  expect(t.minima!.mean).toBeCloseTo(0.55, 12);
  // In-sample: A reaches ≤ 0.6 at 300 (lead 100); B reaches exactly 0.60 at 200 (lead 100).
  expect(t.inSample.map((r) => [r.name, r.tCross, r.lead])).toEqual([['A', 300, 100], ['B', 200, 100]]);
  expect(t.crossingShare.inSample).toBe(1);
  expect(t.crossingShare.leaveOneOut).toBe(0.5);
  // LOO: A held out → H̃* = m_B = 0.60 → crosses at 300; B held out → H̃* = 0.50 → never.
  expect(t.leaveOneOut.map((r) => [r.name, r.threshold, r.tCross])).toEqual([['A', 0.6, 300], ['B', 0.5, null]]);
  expect(analyzeThreshold([{ name: 'A', records: A }], { kind: 'fixed', value: 0.75 }).inSample[0]!.lead).toBe(200);
});

test('two phases: norm peak and entropy-decline onset', () => {
  // A: norm peaks at 200 (16); H̃ peaks at 0 (0.80), lowest after it up to t_grok 0.50 → range
  // 0.30, onset = first H̃ ≤ 0.77 → step 200. Norm first? 200 < 200 is false.
  expect(twoPhases(A)).toEqual({ normPeak: 200, collapseOnset: 200, normFirst: false });
  const early = recs([[0, 0, 0, 0.8, 10], [100, 1, 0, 0.8, 20], [200, 1, 0, 0.6, 18], [300, 1, 1, 0.5, 15]]);
  expect(twoPhases(early)).toEqual({ normPeak: 100, collapseOnset: 200, normFirst: true });
});

test('run reader: cut-short last line is a warning; a bad middle line names file and line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-analysis-'));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ config: { condition: 'entropy-floor' }, seed: 1 }));
  const lines = A.map((r) => JSON.stringify(r));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n{"step": 600, "wal');
  const run = readRun(dir);
  expect(run.records).toHaveLength(6);
  expect(run.condition).toBe('entropy-floor');
  expect(run.warnings[0]).toMatch(/line 7 is cut short/);
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), [lines[0], 'garbage', lines[1]].join('\n') + '\n');
  expect(() => readRun(dir)).toThrow(/metrics\.jsonl: line 2 is not valid JSON/);
  expect(findRunDirs([path.dirname(dir)])).toContain(dir);
});

test('online forecast is undefined at or below H̃*', () => {
  const f = onlineForecast(A, 0.6, { C1: 1000, gamma: 1, C2: 50 });
  expect(f[0]).toEqual({ step: 0, h: 0.8, predicted: 0 + 1000 * (0.8 - 0.6) + 50 });
  expect(f[3]!.predicted).toBeNull();
});

const realRuns = (process.env.GROKSCOPE_QUICK_RUNS ?? '').split(path.delimiter).filter(Boolean);

test('end to end: a report with tables and charts that render', async () => {
  const dirs = realRuns.length ? realRuns : writeSynthetic();
  const runs = dirs.map(readRun);
  const doc = analyzeRuns(runs);
  const md = renderMarkdown(doc);
  expect(md).toMatch(/\| condition \| n \| censored \| mean t_grok \| H̃\* \|/);
  expect(md).toMatch(/Censoring: Runs that never reach/);
  const svg = await renderSvg(runChartSpec(runs[0]!, { tCross: 300, tGrok: 400 }));
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toMatch(/<path/);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-report-'));
  const files = await writeReport(doc, runs, out);
  expect(files.filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(runs.length);
  expect(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')).conditions[0].n).toBe(runs.length);
});

function writeSynthetic(): string[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-synth-'));
  return [A, B, C].map((records, i) => {
    const dir = path.join(root, `seed=${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ config: { condition: 'baseline' }, seed: i }));
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), records.map((r) => JSON.stringify(r) + '\n').join(''));
    return dir;
  });
}
