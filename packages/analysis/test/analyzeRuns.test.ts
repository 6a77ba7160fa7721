import { analyzeRuns, CENSORING_RULE } from '../src/analyzeRuns';
import { renderMarkdown } from '../src/renderMarkdown';
import type { RunRecord } from '../src/runReader';
import { run } from './fixtures';

/** A run evaluated every 50 steps to 4000 that groks at `tGrok` (null: never); H̃ falls linearly from 0.9 to 0.4 by t_grok. */
function grokRun(name: string, condition: string, tGrok: number | null) {
  const end = tGrok ?? 4000;
  const records: RunRecord[] = [];
  for (let t = 0; t <= 4000; t += 50) {
    records.push({
      step: t,
      wallMs: t,
      metrics: {
        'accuracy/train': t >= 100 ? 1 : 0.3,
        'accuracy/test': tGrok !== null && t >= tGrok ? 0.97 : 0.1,
        'entropy/Hn': 0.9 - 0.5 * Math.min(1, t / end),
        'norm/weights': 10 + Math.min(t, 400) / 10 - Math.max(0, t - 400) / 1000,
      },
    });
  }
  return run(name, records, condition);
}

// t_grok: baseline [1500, 1600, 2400, 1900]; entropy-floor [3700, 2650, 3100] plus one censored run;
// norm-matched: a single censored run.
const runs = [
  grokRun('b0', 'baseline', 1500),
  grokRun('f0', 'entropy-floor', 3700),
  grokRun('b1', 'baseline', 1600),
  grokRun('f1', 'entropy-floor', 2650),
  grokRun('b2', 'baseline', 2400),
  grokRun('f2', 'entropy-floor', 3100),
  grokRun('b3', 'baseline', 1900),
  grokRun('f3', 'entropy-floor', null),
  grokRun('n0', 'norm-matched', null),
];
const doc = analyzeRuns(runs, { bootstrap: { resamples: 2000, seed: 1 } });

test('grouped by condition, baseline first; n counts censored runs, which are listed', () => {
  expect(doc.conditions.map((c) => [c.condition, c.n, c.censored])).toEqual([
    ['baseline', 4, 0],
    ['entropy-floor', 4, 1],
    ['norm-matched', 1, 1],
  ]);
  expect(doc.conditions[0]!.tGrok).toMatchObject({ n: 4, mean: 1850, min: 1500, max: 2400, median: 1750 });
  expect(doc.runs.find((r) => r.name === 'f3')).toMatchObject({ censored: true, tGrok: null, tMem: 100 });
  expect(doc.censoringRule).toBe(CENSORING_RULE);
});

test('t_grok comparison with the baseline matches scipy, censored runs left out', () => {
  // scipy 1.10.1 on a = [3700, 2650, 3100], b = [1500, 1600, 2400, 1900]:
  //   stats.ttest_ind(a, b, equal_var=False) → t = 3.5601966237835803, p = 0.02711497146864287,
  //   Welch–Satterthwaite df = 3.6777205794325396; Cohen's d (pooled, ddof=1) = 2.843611155188746;
  //   stats.mannwhitneyu(a, b, alternative='two-sided') → U = 12, p = 0.05714285714285714
  //   (exact: U = 12 is 1 of C(7, 3) = 35 arrangements, so p = 2/35).
  const c = doc.comparisons.find((x) => x.condition === 'entropy-floor')!;
  expect(c).toMatchObject({
    baseline: 'baseline',
    nCondition: 3,
    nBaseline: 4,
    censoredCondition: 1,
    censoredBaseline: 0,
    note: null,
  });
  expect(c.welch!.t).toBeCloseTo(3.5601966237835803, 9);
  expect(c.welch!.df).toBeCloseTo(3.6777205794325396, 9);
  expect(Math.abs(c.welch!.p - 0.02711497146864287)).toBeLessThan(1e-4);
  expect(c.cohensD!).toBeCloseTo(2.843611155188746, 9);
  expect(c.mannWhitney!.U).toBe(12);
  expect(c.mannWhitney!.p).toBeCloseTo(2 / 35, 12);
  // Observed difference 3150 − 1850 = 1300; every resample difference lies in [2650 − 2400, 3700 − 1500].
  expect(c.meanDiffCI!.level).toBe(0.95);
  expect(c.meanDiffCI!.low).toBeGreaterThan(250);
  expect(c.meanDiffCI!.low).toBeLessThan(1300);
  expect(c.meanDiffCI!.high).toBeGreaterThan(1300);
  expect(c.meanDiffCI!.high).toBeLessThan(2200);
});

test('a condition with no grokked run gets a comparison with nulls and says why', () => {
  const c = doc.comparisons.find((x) => x.condition === 'norm-matched')!;
  expect(c).toMatchObject({
    nCondition: 0,
    censoredCondition: 1,
    welch: null,
    mannWhitney: null,
    cohensD: null,
    meanDiffCI: null,
  });
  expect(c.note).toBe('every statistic needs at least 1 grokked run per group; have 0 (norm-matched) and 4 (baseline)');
});

test('t_grok constant in both groups: Welch and d are null with a note, the rest stands', () => {
  const flat = analyzeRuns(
    [
      grokRun('b0', 'baseline', 1500),
      grokRun('b1', 'baseline', 1500),
      grokRun('f0', 'entropy-floor', 2000),
      grokRun('f1', 'entropy-floor', 2000),
    ],
    {
      bootstrap: { resamples: 200 },
    },
  );
  const c = flat.comparisons[0]!;
  expect(c).toMatchObject({ welch: null, cohensD: null, meanDiffCI: { low: 500, high: 500, level: 0.95 } });
  expect(c.mannWhitney!.U).toBe(4); // ties everywhere: asymptotic, all of a above all of b
  expect(c.note).toMatch(/does not vary within either group/);
  expect(JSON.parse(JSON.stringify(flat))).toEqual(flat);
});

test('threshold, two-phase share and forecast per condition', () => {
  const base = doc.conditions[0]!;
  // H̃ falls to 0.40 exactly at t_grok in every run, so m_r = 0.4 for all and H̃* = 0.4, crossed at t_grok (lead 0).
  expect(base.threshold.threshold).toBeCloseTo(0.4, 12);
  expect(base.threshold.crossingShare).toEqual({ inSample: 1, leaveOneOut: 1 });
  expect(base.threshold.lead.inSample).toMatchObject({ mean: 0, max: 0 });
  // Norm peaks at 400; H̃ falls from step 0, so the 10% onset (0.05 below 0.9) comes first in
  // runs with t_grok ≤ 4000: t = 0.1·t_grok ≤ 240 < 400 → norm never first.
  expect(base.twoPhaseShare).toBe(0);
  expect(base.forecast.fit).not.toBeNull();
  expect(doc.conditions[2]!.threshold.unscored).toEqual([{ name: 'n0', reason: 'censored (never grokked)' }]);
});

test('the document survives JSON unchanged', () => {
  expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
});

test('Markdown tables state n, censoring and the comparison', () => {
  const md = renderMarkdown(doc);
  expect(md).toContain(`Censoring: ${CENSORING_RULE}`);
  expect(md).toContain('| condition | n | censored | mean t_grok | H̃* |');
  expect(md).toContain('| baseline | 4 | 0 | 1850 | 0.400 |');
  expect(md).toContain('| entropy-floor | 3 / 4 | 1 / 0 | 3.560 | 3.7 | 0.0271 | 12 | 0.0571 | 2.844 | 95%: [');
  expect(md).toContain('norm-matched: every statistic needs at least 1 grokked run per group');
  expect(md).toMatch(/\| f3 \| entropy-floor \| 100 \| censored \|/);
  // Every table row has as many cells as its header.
  for (const block of md.split('\n\n')) {
    const rows = block.split('\n').filter((l) => l.startsWith('|') && !l.startsWith('|---'));
    if (rows.length) expect(new Set(rows.map((r) => r.split(' | ').length)).size).toBe(1);
  }
});
