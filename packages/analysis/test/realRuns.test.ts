/**
 * End to end on real trainer output: `test/quick-runs/` holds the manifest, metrics.jsonl and
 * summary.json of three a+b baseline runs of the quick study, as the trainer wrote
 * them (see its README). Analysis is checked against what the trainer recorded itself
 * (summary.json events) and against the definitions of docs/science.md recomputed here from the raw records.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeRuns } from '../src/analyzeRuns';
import { renderMarkdown } from '../src/renderMarkdown';
import { findRunDirs, readRun } from '../src/runReader';
import { writeReport } from '../src/writeReport';
import { wellFormed } from './wellFormed';

const runs = findRunDirs([path.join(__dirname, 'quick-runs')]).map(readRun);
const doc = analyzeRuns(runs);
/** The trainer's own events from summary.json. */
const ev = (r: (typeof runs)[number]) => r.summary!.events!;
const series = (r: (typeof runs)[number], tag: string) =>
  r.records.filter((x) => x.metrics[tag] !== undefined).map((x) => ({ step: x.step, v: x.metrics[tag]! }));

test('the fixture is three quick-preset baseline runs that grokked and stopped 200 steps later', () => {
  expect(runs.map((r) => path.basename(r.dir))).toEqual([0, 1, 2].map((s) => `seed=${s},condition=baseline`));
  for (const r of runs) {
    expect(ev(r).grokked).not.toBeNull();
    expect(r.summary).toMatchObject({ status: 'stopped', steps: ev(r).grokked! + 200 });
  }
});

test("events agree with the trainer's own summary, and show a grokking delay of at least 3×", () => {
  for (const r of runs) {
    const row = doc.runs.find((x) => x.name === r.name)!;
    expect(row).toMatchObject({ condition: 'baseline', censored: false, tMem: ev(r).memorised, tGrok: ev(r).grokked });
    expect(row.tGrok!).toBeGreaterThanOrEqual(3 * row.tMem!);
  }
});

test('H̃*, t_cross, lead and crossing share follow the docs/science.md definitions recomputed from the records', () => {
  const [c] = doc.conditions;
  expect(doc.conditions).toHaveLength(1);
  expect(c).toMatchObject({ condition: 'baseline', n: 3, censored: 0 });
  // m_r = min H̃ over (t_mem, t_grok]; H̃* = max_r m_r (the tightest threshold every run crossed).
  const minima = runs.map((r) =>
    Math.min(
      ...series(r, 'entropy/Hn')
        .filter((x) => x.step > ev(r).memorised! && x.step <= ev(r).grokked!)
        .map((x) => x.v),
    ),
  );
  const hStar = Math.max(...minima);
  expect(c!.threshold.threshold).toBe(hStar);
  expect(c!.threshold.minima!.mean).toBeCloseTo(minima.reduce((a, b) => a + b) / 3, 12);
  for (const r of runs) {
    // t_cross(h): the first step after t_mem with H̃ ≤ h (≤, so the run that sets H̃* crosses it).
    const tCross = series(r, 'entropy/Hn').find((x) => x.step > ev(r).memorised! && x.v <= hStar)!.step;
    const scored = c!.threshold.inSample.find((x) => x.name === r.name)!;
    expect(scored).toMatchObject({ tCross, lead: ev(r).grokked! - tCross, crossedBeforeGrok: true });
  }
  expect(c!.threshold.crossingShare.inSample).toBe(1);
  expect(c!.threshold.leaveOneOut).toHaveLength(3);
});

test('two phases: the norm peak is the largest ‖θ‖ up to t_grok, and the share counts runs where it comes first', () => {
  const [c] = doc.conditions;
  let first = 0;
  for (const r of runs) {
    const { phases } = doc.runs.find((x) => x.name === r.name)!;
    const upToGrok = series(r, 'norm/weights').filter((x) => x.step <= ev(r).grokked!);
    const max = Math.max(...upToGrok.map((x) => x.v));
    expect(upToGrok.find((x) => x.step === phases.normPeak)!.v).toBe(max);
    expect(phases.collapseOnset).not.toBeNull();
    expect(phases.normFirst).toBe(phases.normPeak! < phases.collapseOnset!);
    if (phases.normFirst) first++;
  }
  expect(c!.twoPhaseShare).toBe(first / 3);
});

test('the report: a table with H̃*, crossing share, lead and two-phase share, and charts that render', async () => {
  const md = renderMarkdown(doc);
  const [c] = doc.conditions;
  const row = md.split('\n').find((l) => l.startsWith('| baseline | 3 |'))!;
  expect(row).toContain(`| ${c!.threshold.threshold!.toFixed(3)} |`);
  expect(row).toContain(`| 100% / ${Math.round(100 * c!.threshold.crossingShare.leaveOneOut!)}% |`);
  expect(row).toContain(`| ${c!.threshold.lead.inSample!.mean.toFixed(0)} / `);
  expect(row).toMatch(new RegExp(`\\| ${Math.round(100 * c!.twoPhaseShare!)}% \\|$`));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-real-'));
  try {
    const files = await writeReport(doc, runs, out);
    const svgs = files.filter((f) => f.endsWith('.svg'));
    expect(svgs.length).toBeGreaterThanOrEqual(runs.length);
    for (const f of svgs) expect(wellFormed(fs.readFileSync(f, 'utf8'))[0]).toBe('svg');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
