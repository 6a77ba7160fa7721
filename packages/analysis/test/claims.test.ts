import type { ClaimOptions, ClaimRow, StudyRoles } from '../src/claims/claimModule';
import { evaluateClaims } from '../src/claims/evaluateClaims';
import { renderClaimsMarkdown } from '../src/claims/renderClaimsMarkdown';
import { mannWhitneyU } from '../src/mannWhitneyU';
import type { RunData } from '../src/runReader';
import { decideTwoPhases } from '../src/claims/c1TwoPhases';
import { decideForecast } from '../src/claims/c5Forecast';
import { CLAIM_RULES, claimRules } from '../src/claims/claimRegistry';
import { decideCrossing } from '../src/claims/crossingRule';
import { decideDelay } from '../src/claims/delayRule';
import { CENSORED_RUNS_RULE } from '../src/verdictRules';
import { collapse, grokkingRuns, synthRun, T_MEM } from './synthRuns';

// Every expectation below follows from how the runs are built (see synthRuns.ts), not from a
// run of the code under test.

const roles: StudyRoles = {
  baseline: ['baseline'],
  intervention: 'entropy-floor',
  intervention2: 'mixing',
  normMatched: 'norm-matched',
  mlp: 'mlp',
  nonAbelian: 's4',
};
const claim = (runs: readonly RunData[], id: ClaimRow['id'], o: ClaimOptions = {}, r: StudyRoles = roles): ClaimRow => {
  const row = evaluateClaims(runs, r, { bootstrap: { resamples: 2000 }, ...o }).find((x) => x.id === id);
  if (!row) throw new Error(`no row ${id}`);
  return row;
};
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;

// Baseline: 10 runs, t_grok 3,000 + 100·i, H̃ floors 0.40 + 0.01·i reached 500 steps before t_grok.
const floors = range(10).map((i) => 0.4 + 0.01 * i);
const baseline = (n = 10, extra: Partial<Parameters<typeof grokkingRuns>[1]> = {}) =>
  grokkingRuns(n, { tGrok: (i) => 3000 + 100 * i, floor: (i) => floors[i]!, ...extra });

describe('every claim', () => {
  test('one row per claim, in order, each with its fixed rule, the paper figure and n in `ours`', () => {
    const rows = evaluateClaims(baseline(), roles, { bootstrap: { resamples: 500 } });
    expect(rows.map((r) => r.id)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
    for (const r of rows) {
      expect(r.rule).toBe(CLAIM_RULES[r.id]);
      expect(r.ours).toMatch(/n = \d+/);
      expect(r.paper.length).toBeGreaterThan(0);
    }
    expect(rows.find((r) => r.id === 'C2')!.paper).toContain('H̃* ≈ 0.61');
  });

  test('a role the study lacks makes its claims inconclusive, saying so', () => {
    const none = { baseline: [] } as StudyRoles;
    const rows = evaluateClaims([], none);
    for (const r of rows) {
      expect(r.verdict).toBe('inconclusive');
      expect(r.n).toBe(0);
    }
    const why = Object.fromEntries(rows.map((r) => [r.id, r.why]));
    expect(why).toEqual({
      C1: 'the study has no baseline runs',
      C2: 'the study has no baseline runs',
      C3: 'the study has no intervention runs',
      C4: 'the study has no intervention runs',
      C5: 'the study has no baseline runs',
      C6: 'the study has no non-abelian runs',
      C7: 'the study has no MLP runs',
      C8: 'the study has no baseline runs',
    });
    // A role declared in the roles but with no runs reads the same.
    expect(claim(baseline(), 'C4', {}, { ...roles, normMatched: 'norm-matched' }).why).toBe(
      'the study has no intervention runs',
    );
    const withIntervention = [
      ...baseline(),
      ...grokkingRuns(6, { condition: 'entropy-floor', tGrok: (i) => 5000 + 100 * i }),
    ];
    expect(claim(withIntervention, 'C4').why).toBe('the study has no norm-matched runs');
  });

  test('the rules quote alpha, the minimum n and the H̃* rule; C3 and C4 state how censored runs are handled', () => {
    expect(CLAIM_RULES.C3).toContain(CENSORED_RUNS_RULE);
    expect(CLAIM_RULES.C4).toContain(CENSORED_RUNS_RULE);
    expect(CENSORED_RUNS_RULE).toBe(
      'censored runs are excluded from Welch and d; as a check, a Mann–Whitney U counts every censored run at its step cap',
    );
    expect(CLAIM_RULES.C3).toContain('Welch p < 0.05');
    expect(CLAIM_RULES.C2).toContain('fewer than 5 grokked runs');
    expect(CLAIM_RULES.C2).toContain('the largest per-run minimum');
    const strict = claimRules({ alpha: 0.01, minN: 8, threshold: { kind: 'quantile', q: 0.5 } });
    expect(strict.C3).toContain('Welch p < 0.01');
    expect(strict.C2).toContain('fewer than 8 grokked runs');
    expect(strict.C2).toContain('0.5-quantile');
    expect(claim(baseline(), 'C3', { alpha: 0.01 }).rule).toBe(
      claimRules({ alpha: 0.01, minN: 5, threshold: { kind: 'max' } }).C3,
    );
  });
});

describe('C1: the norm peaks before H̃ starts to collapse', () => {
  // H̃ is 0.8 up to t_mem = 1,000 and falls linearly to its floor by t_grok − 500 ≥ 2,500, so it is
  // 10% of the way down by step 1,300 at the latest: a norm peak at 800 comes first, one at
  // t_grok − 200 after.
  const early = (i: number) => 800 + 0 * i;
  const late = (i: number) => 3000 + 100 * i - 200;

  test('reproduced when every run peaks first', () => {
    const r = claim(baseline(6, { normPeak: early }), 'C1');
    expect(r.verdict).toBe('reproduced');
    expect(r.statistics['share']).toBe(1);
    expect(r.n).toBe(6);
  });

  test('contradicted when every norm peaks after the collapse onset', () => {
    const r = claim(baseline(6, { normPeak: late }), 'C1');
    expect(r.verdict).toBe('contradicted');
    expect(r.statistics['share']).toBe(0);
  });

  test('not reproduced at half and half; the share sits on the boundary inclusively', () => {
    expect(claim(baseline(6, { normPeak: (i) => (i % 2 ? early(i) : late(i)) }), 'C1').verdict).toBe('not reproduced');
    // 4 of 5 = 0.8 is reproduced; 1 of 5 = 0.2 is contradicted.
    expect(claim(baseline(5, { normPeak: (i) => (i < 4 ? early(i) : late(i)) }), 'C1').verdict).toBe('reproduced');
    expect(claim(baseline(5, { normPeak: (i) => (i < 1 ? early(i) : late(i)) }), 'C1').verdict).toBe('contradicted');
  });

  test('inconclusive with 4 runs; a censored run enters the share and is counted', () => {
    expect(claim(baseline(4, { normPeak: early }), 'C1').verdict).toBe('inconclusive');
    const censored = grokkingRuns(2, { tGrok: () => null, normPeak: early });
    const r = claim(
      [...baseline(4, { normPeak: early }), ...censored.map((x, i) => ({ ...x, dir: `/c/${i}`, name: `c${i}` }))],
      'C1',
    );
    expect(r.verdict).toBe('reproduced');
    expect(r.n).toBe(6);
    expect(r.censored).toBe(2);
    expect(r.ours).toContain('2 censored');
  });

  test('reports, without using, how much later the norm-matched runs grokked', () => {
    const nm = grokkingRuns(5, { condition: 'norm-matched', tGrok: (i) => 4000 + 100 * i });
    const r = claim([...baseline(5, { normPeak: early }), ...nm], 'C1');
    // mean t_grok: norm-matched 4,200, baseline 3,200.
    expect(r.statistics['normMatchedDelay']).toBe(1000);
    expect(r.ours).toContain('+1,000 steps');
    expect(r.verdict).toBe('reproduced');
  });
});

describe('C2: H̃ crosses a stable H̃* before t_grok', () => {
  test('reproduced: 10 runs, only the one with the unique highest floor misses H̃* from the others', () => {
    const r = claim(baseline(), 'C2');
    expect(r.verdict).toBe('reproduced');
    expect(r.n).toBe(10);
    expect(r.statistics['threshold']).toBeCloseTo(Math.max(...floors), 12);
    expect(r.statistics['minimaMean']).toBeCloseTo(mean(floors), 12);
    expect(r.statistics['looCrossingShare']).toBe(0.9);
    expect(r.statistics['looMeanLead']!).toBeGreaterThanOrEqual(500); // each run reaches its floor 500 steps before t_grok
    expect(r.statistics['inSampleCrossingShare']).toBe(1);
  });

  test('not reproduced: with 5 runs the one miss is 20%', () => {
    const r = claim(baseline(5), 'C2');
    expect(r.verdict).toBe('not reproduced');
    expect(r.statistics['looCrossingShare']).toBe(0.8);
  });

  test('not reproduced when H̃ reaches its minimum only at t_grok (lead 0)', () => {
    const runs = range(6).map((i) =>
      synthRun({
        name: `b${i}`,
        cap: 5000,
        tMem: T_MEM,
        tGrok: 3000 + 100 * i,
        h: collapse(T_MEM, 3000 + 100 * i, 0.4),
      }),
    );
    const r = claim(runs, 'C2');
    expect(r.statistics['looCrossingShare']).toBe(1);
    expect(r.statistics['looMeanLead']).toBe(0);
    expect(r.verdict).toBe('not reproduced');
  });

  test('contradicted when the threshold rule leaves most runs above it (H̃* = the lowest minimum)', () => {
    // Leave-one-run-out, H̃* = the minimum of the other runs' floors: only the run with the lowest floor reaches it.
    const r = claim(baseline(), 'C2', { threshold: { kind: 'quantile', q: 0 } });
    expect(r.statistics['looCrossingShare']).toBe(0.1);
    expect(r.verdict).toBe('contradicted');
    // A fixed H̃* below every floor: nobody crosses.
    expect(claim(baseline(), 'C2', { threshold: { kind: 'fixed', value: 0.3 } }).statistics['looCrossingShare']).toBe(
      0,
    );
  });

  test('inconclusive with 4 grokked runs; censored runs are reported, not scored', () => {
    const runs = [
      ...baseline(4),
      ...grokkingRuns(3, { condition: 'baseline', tGrok: () => null }).map((x, i) => ({
        ...x,
        dir: `/c/${i}`,
        name: `c${i}`,
      })),
    ];
    const r = claim(runs, 'C2');
    expect(r.verdict).toBe('inconclusive');
    expect(r.n).toBe(4);
    expect(r.censored).toBe(3);
    expect(r.ours).toContain('3 censored');
  });
});

describe('C3: the intervention delays grokking', () => {
  const intervention = (n: number, t: (i: number) => number | null, condition = 'entropy-floor') =>
    grokkingRuns(n, { condition, tGrok: t, floor: () => 0.65 });
  const base6 = () => baseline(6); // t_grok 3,000..3,500

  test('reproduced: +2,000 steps with disjoint samples', () => {
    const r = claim([...base6(), ...intervention(6, (i) => 5000 + 100 * i)], 'C3');
    expect(r.verdict).toBe('reproduced');
    expect(r.statistics['delay']).toBe(2000);
    expect(r.statistics['welchP']!).toBeLessThan(1e-6);
    // Both samples are {0..5}·100 + const: pooled sd = 100·√3.5.
    expect(r.statistics['cohensD']).toBeCloseTo(2000 / (100 * Math.sqrt(3.5)), 9);
    // Every resampled difference of means lies in [5,000 − 3,500, 5,500 − 3,000].
    expect(r.statistics['ciLow']!).toBeGreaterThanOrEqual(1500);
    expect(r.statistics['ciHigh']!).toBeLessThanOrEqual(2500);
    expect(r.statistics['ciLow']!).toBeLessThan(2000);
    expect(r.statistics['ciHigh']!).toBeGreaterThan(2000);
    expect(r.statistics['rankU']).toBe(36); // every intervention run later than every baseline run
    expect(r.n).toBe(12);
    expect(r.why).not.toContain('rank check');
  });

  test('contradicted when the intervention groks earlier; not reproduced when it changes nothing', () => {
    const earlier = claim([...base6(), ...intervention(6, (i) => 1500 + 100 * i)], 'C3');
    expect(earlier.verdict).toBe('contradicted');
    expect(earlier.statistics['delay']).toBe(-1500);
    const same = claim([...base6(), ...intervention(6, (i) => 3000 + 100 * i)], 'C3');
    expect(same.verdict).toBe('not reproduced');
    expect(same.statistics['delay']).toBe(0);
    expect(same.statistics['welchP']).toBe(1);
  });

  test('inconclusive below 5 grokked runs; the censored ones enter the rank check at their cap', () => {
    // 3 grokked at 5,000..5,200 and 3 censored, stopped at their cap 8,000.
    const runs = [...base6(), ...intervention(6, (i) => (i < 3 ? 5000 + 100 * i : null))];
    const r = claim(runs, 'C3');
    expect(r.verdict).toBe('inconclusive');
    expect(r.censored).toBe(3);
    expect(r.statistics['interventionGrokked']).toBe(3);
    expect(r.statistics['interventionCensored']).toBe(3);
    // All 6 intervention runs (censored at 8,000) rank above all 6 baseline runs: U = 6·6. Left
    // out, the censored runs would give U = 3·6 over 9 runs.
    expect(r.statistics['rankN']).toBe(12);
    expect(r.statistics['rankU']).toBe(36);
    expect(r.why).toContain('the rank check (every censored run at its step cap, n = 6 + 6)');
    // A cap given in the options replaces each run's own: at 2,000 the censored runs rank below every baseline run.
    const capped = claim(runs, 'C3', { stepCap: 2000 });
    expect(capped.statistics['rankN']).toBe(12);
    expect(capped.statistics['rankU']).toBe(18);
  });

  test('the rank check is reported, and its disagreement with Welch noted, when censored runs carry the effect', () => {
    // Grokked intervention runs match the baseline exactly (Welch p = 1); 10 more never grok.
    const runs = [...baseline(5), ...intervention(15, (i) => (i < 5 ? 3000 + 100 * i : null))];
    const r = claim(runs, 'C3');
    const expected = mannWhitneyU(
      [3000, 3100, 3200, 3300, 3400, ...Array<number>(10).fill(8000)],
      [3000, 3100, 3200, 3300, 3400],
    );
    expect(r.statistics['rankP']).toBeCloseTo(expected.p, 12);
    expect(expected.p).toBeLessThan(0.05); // the premise of this test
    expect(r.verdict).toBe('not reproduced');
    expect(r.why).toContain('disagrees with Welch');
    expect(r.why).toContain('intervention later');
  });

  test('unfinished runs are counted, not used: the row is the same as without them', () => {
    const finished = [...base6(), ...intervention(6, (i) => 5000 + 100 * i)];
    const unfinished = [
      // Would pull the delay down if counted (groks early), or add a censored run (never groks).
      synthRun({
        name: 'u0',
        condition: 'entropy-floor',
        cap: 3000,
        tMem: T_MEM,
        tGrok: 1200,
        h: collapse(T_MEM, 1100, 0.4),
        summary: null,
      }),
      synthRun({
        name: 'u1',
        condition: 'entropy-floor',
        cap: 3000,
        tMem: T_MEM,
        tGrok: null,
        h: collapse(T_MEM, 2000, 0.4),
        summary: { status: 'interrupted', steps: 3000 },
      }),
      synthRun({
        name: 'u2',
        condition: 'baseline',
        cap: 9000,
        tMem: T_MEM,
        tGrok: 9000,
        h: collapse(T_MEM, 8000, 0.4),
        summary: { status: 'failed', steps: 9000 },
      }),
    ];
    const a = claim(finished, 'C3');
    const b = claim([...finished, ...unfinished], 'C3');
    expect(b.verdict).toBe(a.verdict);
    expect(b.n).toBe(12);
    expect(b.censored).toBe(0);
    for (const k of [
      'delay',
      'welchP',
      'cohensD',
      'rankU',
      'rankN',
      'interventionGrokked',
      'interventionCensored',
      'baselineGrokked',
    ])
      expect(b.statistics[k]).toBe(a.statistics[k]);
    expect(b.statistics['interventionUnfinished']).toBe(2);
    expect(b.statistics['baselineUnfinished']).toBe(1);
    expect(b.ours).toContain('intervention: 6 grokked, 0 censored, 2 unfinished (not used)');
    // A role whose only runs are unfinished is inconclusive, and says so.
    const onlyUnfinished = claim([...base6(), ...unfinished.slice(0, 2)], 'C3');
    expect(onlyUnfinished.verdict).toBe('inconclusive');
    expect(onlyUnfinished.why).toContain('2 unfinished');
  });

  test("the second intervention variant is reported beside the first, the verdict being the first one's", () => {
    const runs = [
      ...base6(),
      ...intervention(6, (i) => 5000 + 100 * i),
      ...intervention(6, (i) => 3000 + 100 * i, 'mixing'),
    ];
    const r = claim(runs, 'C3');
    expect(r.verdict).toBe('reproduced');
    expect(r.statistics['intervention2Delay']).toBe(0);
    expect(r.statistics['intervention2Grokked']).toBe(6);
    expect(r.ours).toContain('intervention2 (mixing)');
  });

  test('C3 compares with the condition named baseline when there are several', () => {
    const sub = grokkingRuns(6, { condition: 'baseline-sub', tGrok: (i) => 9000 + 100 * i });
    const r = claim(
      [...base6(), ...sub, ...intervention(6, (i) => 5000 + 100 * i)],
      'C3',
      {},
      { ...roles, baseline: ['baseline-sub', 'baseline'] },
    );
    expect(r.statistics['delay']).toBe(2000);
  });
});

describe('C4: the intervention delays more than matching its norm does', () => {
  const set = (nmStart: number) => [
    ...baseline(6),
    ...grokkingRuns(6, { condition: 'entropy-floor', tGrok: (i) => 5000 + 100 * i }),
    ...grokkingRuns(6, { condition: 'norm-matched', tGrok: (i) => nmStart + 100 * i }),
  ];

  test('reproduced: intervention 1,500 steps after norm-matched, which is 500 after baseline', () => {
    const r = claim(set(3500), 'C4');
    expect(r.verdict).toBe('reproduced');
    expect(r.statistics['delay']).toBe(1500);
    expect(r.statistics['normMatchedVsBaselineDelay']).toBe(500);
  });

  test('contradicted when the norm-matched runs grok later; not reproduced when they match', () => {
    expect(claim(set(7000), 'C4').verdict).toBe('contradicted');
    const same = claim(set(5000), 'C4');
    expect(same.verdict).toBe('not reproduced');
    expect(same.statistics['delay']).toBe(0);
  });

  test('inconclusive with 4 grokked norm-matched runs', () => {
    const runs = set(3500).filter((r) => !(r.condition === 'norm-matched' && /-(4|5)$/.test(r.name)));
    const r = claim(runs, 'C4');
    expect(r.statistics['normMatchedGrokked']).toBe(4);
    expect(r.verdict).toBe('inconclusive');
  });
});

describe('C5: a power law forecasts the time left', () => {
  // H̃(t) = H̃* + ((t_grok − t)/C1)^(1/γ) before t_grok, H̃* after: every observation lies on
  // ΔT = C1·x^γ exactly, and every run's minimum up to t_grok is H̃*.
  const [hStar, C1, gamma] = [0.35, 20000, 1.5];
  const lawRun = (name: string, G: number) =>
    synthRun({
      name,
      cap: G + 1000,
      tMem: T_MEM,
      tGrok: G,
      h: (t) => (t < G ? hStar + ((G - t) / C1) ** (1 / gamma) : hStar),
    });

  test('reproduced when the law holds exactly', () => {
    const G = range(6).map((i) => 3000 + 400 * i);
    const r = claim(
      G.map((g, i) => lawRun(`b${i}`, g)),
      'C5',
    );
    expect(r.verdict).toBe('reproduced');
    expect(r.statistics['threshold']).toBeCloseTo(hStar, 12);
    expect(r.statistics['r2']!).toBeGreaterThan(0.999);
    expect(r.statistics['gamma']!).toBeCloseTo(gamma, 2);
    expect(r.statistics['C1']! / C1).toBeCloseTo(1, 2);
    expect(Math.abs(r.statistics['C2']!)).toBeLessThan(20);
    expect(r.statistics['looMape']!).toBeLessThan(0.005);
    // Forecasts are made at steps 0, 100, …, t_grok − 100: mean lead (t_grok + 100)/2 per run.
    expect(r.statistics['looMeanLead']!).toBeCloseTo(mean(G.map((g) => (g + 100) / 2)), 6);
    expect(r.n).toBe(6);
  });

  test('not reproduced when the law is right on average but each forecast is off by 25%', () => {
    // t_grok = 2,000, forecasts at k = 1..20 steps of 100 before it. Steps k and k + 10 share one
    // H̃, chosen so that the law gives their mean time left, 100·(k + 5): the best fit is the law,
    // each forecast is off by 500 steps (25% of 2,000), and R² = Var(means)/Var(y) = (10² − 1)/(20² − 1).
    const G = 2000;
    const M = 10;
    const hAt = (t: number) => {
      if (t >= G) return hStar;
      const k = (G - t) / 100;
      const j = k > M ? k - M : k;
      return hStar + ((100 * (j + M / 2)) / C1) ** (1 / gamma);
    };
    const runs = range(5).map((i) => synthRun({ name: `b${i}`, cap: G + 500, tMem: 500, tGrok: G, h: hAt }));
    const r = claim(runs, 'C5');
    expect(r.statistics['r2']!).toBeCloseTo((M * M - 1) / (4 * M * M - 1), 3);
    expect(r.statistics['looMape']!).toBeCloseTo(0.25, 3);
    expect(r.verdict).toBe('not reproduced');
  });

  test('contradicted when H̃ says nothing about the time left (R² ≈ 0)', () => {
    // Before t_grok H̃ runs a, b, b, a, a, b, b, a, …: both values have the same mean time left,
    // so the best function of H̃ is a constant.
    const runs = range(5).map((i) => {
      const G = 2400 + 400 * i;
      return synthRun({
        name: `b${i}`,
        cap: G + 500,
        tMem: T_MEM,
        tGrok: G,
        h: (t) => (t >= G ? 0.3 : [0.7, 0.5, 0.5, 0.7][(t / 100) % 4]!),
      });
    });
    const r = claim(runs, 'C5');
    expect(r.statistics['r2']!).toBeLessThan(0.01);
    expect(r.verdict).toBe('contradicted');
    expect(r.why).toContain('R² < 0.1');
  });

  test('inconclusive with 4 grokked runs', () => {
    const r = claim(
      range(4).map((i) => lawRun(`b${i}`, 3000 + 400 * i)),
      'C5',
    );
    expect(r.verdict).toBe('inconclusive');
    expect(r.n).toBe(4);
  });
});

describe('C6: the same on a non-abelian group, with a shifted H̃*', () => {
  const s4 = (n: number) =>
    grokkingRuns(n, { condition: 's4', tGrok: (i) => 4000 + 100 * i, floor: (i) => 0.5 + 0.01 * i });

  test('reproduced, with H̃* beside the abelian one and the shift', () => {
    const r = claim([...baseline(), ...s4(10)], 'C6');
    expect(r.verdict).toBe('reproduced');
    expect(r.statistics['threshold']).toBeCloseTo(0.59, 12);
    expect(r.statistics['abelianThreshold']).toBeCloseTo(0.49, 12);
    expect(r.statistics['shift']).toBeCloseTo(0.1, 12);
    expect(r.ours).toContain('abelian 0.490');
  });

  test('not reproduced with 5 runs (one leave-one-run-out miss); inconclusive with 4 or none', () => {
    expect(claim([...baseline(), ...s4(5)], 'C6').verdict).toBe('not reproduced');
    expect(claim([...baseline(), ...s4(4)], 'C6').verdict).toBe('inconclusive');
    const none = claim(baseline(), 'C6', {}, { ...roles, nonAbelian: undefined });
    expect(none.why).toBe('the study has no non-abelian runs');
  });
});

describe('C7: MLPs collapse without grokking', () => {
  // The abelian H̃* is 0.49 (the largest baseline floor). An MLP run collapses when its lowest H̃ after t_mem is ≤ 0.49.
  const mlp = (name: string, tGrok: number | null, floor: number, tFloor = 2500) =>
    synthRun({ name, condition: 'mlp', cap: 6000, tMem: T_MEM, tGrok, h: collapse(T_MEM, tFloor, floor) });

  test('reproduced when MLP runs collapse without grokking', () => {
    const r = claim([...baseline(), mlp('m0', null, 0.3), mlp('m1', null, 0.3), mlp('m2', null, 0.3)], 'C7');
    expect(r.verdict).toBe('reproduced');
    expect(r.statistics['collapsedNotGrokked']).toBe(3);
    expect(r.statistics['threshold']).toBeCloseTo(0.49, 12);
    expect(r.n).toBe(3);
    expect(r.censored).toBe(3);
  });

  test('contradicted by an MLP run that grokked without collapse (by t_grok: a collapse after it does not count)', () => {
    const late = synthRun({
      name: 'm2',
      condition: 'mlp',
      cap: 6000,
      tMem: T_MEM,
      tGrok: 2000,
      h: (t) => (t <= 3000 ? 0.8 : 0.3),
    });
    const r = claim([...baseline(), mlp('m0', null, 0.3), mlp('m1', null, 0.3), late], 'C7');
    expect(r.verdict).toBe('contradicted');
    expect(r.statistics['notCollapsedGrokked']).toBe(1);
    expect(r.why).toContain('contradicted: 1 MLP runs grokked without collapse');
    // A run that collapsed and then grokked supports the claim's "necessary" half.
    const ok = claim([...baseline(), mlp('m0', null, 0.3), mlp('m1', 3000, 0.3), mlp('m2', null, 0.7)], 'C7');
    expect(ok.verdict).toBe('reproduced');
    expect([ok.statistics['collapsedNotGrokked'], ok.statistics['collapsedGrokked'], ok.statistics['neither']]).toEqual(
      [1, 1, 1],
    );
  });

  test('inconclusive when no MLP run collapsed or grokked, with 2 runs, or without an abelian H̃*', () => {
    expect(claim([...baseline(), mlp('m0', null, 0.7), mlp('m1', null, 0.7), mlp('m2', null, 0.7)], 'C7').verdict).toBe(
      'inconclusive',
    );
    const two = claim([...baseline(), mlp('m0', null, 0.3), mlp('m1', null, 0.3)], 'C7');
    expect(two.verdict).toBe('inconclusive');
    expect(two.why).toContain('only 2 finished MLP runs');
    const noBaseline = claim([mlp('m0', null, 0.3), mlp('m1', null, 0.3), mlp('m2', null, 0.3)], 'C7');
    expect(noBaseline.verdict).toBe('inconclusive');
    expect(noBaseline.why).toContain('no abelian H̃*');
  });
});

describe('C8: Fourier alignment rises as H̃ falls', () => {
  const falling = (_: number, h: (t: number) => number) => (t: number) => 1 - h(t);
  const rising = (_: number, h: (t: number) => number) => (t: number) => h(t);

  test('reproduced when alignment mirrors H̃ (ρ = −1 in every run, ties included)', () => {
    const r = claim(baseline(6, { align: falling }), 'C8');
    expect(r.verdict).toBe('reproduced');
    expect(r.statistics['meanRho']).toBeCloseTo(-1, 12);
    expect(r.statistics['negativeShare']).toBe(1);
    expect(r.n).toBe(6);
  });

  test('contradicted when alignment follows H̃; not reproduced at half and half', () => {
    expect(claim(baseline(6, { align: rising }), 'C8').verdict).toBe('contradicted');
    const half = claim(baseline(6, { align: (i, h) => (i % 2 ? falling(i, h) : rising(i, h)) }), 'C8');
    expect(half.statistics['meanRho']).toBeCloseTo(0, 12);
    expect(half.verdict).toBe('not reproduced');
  });

  test('inconclusive when only 4 runs record alignment', () => {
    const r = claim(baseline(10, { align: (i, h) => (i < 4 ? falling(i, h) : undefined) }), 'C8');
    expect(r.verdict).toBe('inconclusive');
    expect(r.n).toBe(4);
    expect(r.statistics['withoutAlignment']).toBe(6);
  });

  test('non-abelian runs are read through irreps/alignment and reported beside a verdict that stays on the cyclic runs', () => {
    const s4 = grokkingRuns(5, { condition: 's4', tGrok: (i) => 4000 + 100 * i, irreps: falling });
    // Their Fourier alignment, were it recorded, is not what is read for them.
    const s4WithFourier = grokkingRuns(5, {
      condition: 's4',
      tGrok: (i) => 4000 + 100 * i,
      irreps: falling,
      align: rising,
    });
    for (const runs of [s4, s4WithFourier]) {
      const r = claim([...baseline(6, { align: rising }), ...runs], 'C8');
      expect(r.verdict).toBe('contradicted');
      expect(r.statistics['meanRho']).toBeCloseTo(1, 12);
      expect(r.statistics['nonAbelianMeanRho']).toBeCloseTo(-1, 12);
      expect(r.statistics['nonAbelianWithCorrelation']).toBe(5);
      expect(r.ours).toContain('non-abelian runs (irreps/alignment, reported, not judged): mean ρ = −1.000');
      expect(r.ours).toMatch(/by the same cut-offs reproduced$/);
    }
    expect(CLAIM_RULES.C8).toContain('rests on the cyclic baseline runs alone');
  });

  test('non-abelian runs without irreps alignment are counted; too few say so; no such runs, no such words', () => {
    const few = claim(
      [...baseline(6, { align: falling }), ...grokkingRuns(3, { condition: 's4', tGrok: () => 4000, irreps: falling })],
      'C8',
    );
    expect(few.verdict).toBe('reproduced');
    expect(few.ours).toMatch(/by the same cut-offs too few \(3 < 5\)$/);
    const without = claim(
      [...baseline(6, { align: falling }), ...grokkingRuns(4, { condition: 's4', tGrok: () => 4000 })],
      'C8',
    );
    expect(without.statistics['nonAbelianWithoutAlignment']).toBe(4);
    expect(without.statistics['nonAbelianMeanRho']).toBeNull();
    const none = claim(baseline(6, { align: falling }), 'C8');
    expect(none.ours).not.toContain('non-abelian');
    expect(Object.keys(none.statistics).some((k) => k.startsWith('nonAbelian'))).toBe(false);
  });
});

describe('decision rules at their boundaries', () => {
  test('C1 and C2 shares, C3 p and delay, C5 cut-offs', () => {
    expect(decideTwoPhases(4, 5, 5).verdict).toBe('reproduced');
    expect(decideTwoPhases(3, 5, 5).verdict).toBe('not reproduced');
    expect(decideTwoPhases(1, 5, 5).verdict).toBe('contradicted');
    expect(decideTwoPhases(4, 4, 5).verdict).toBe('inconclusive');
    expect(decideCrossing('baseline', 9, 10, 1, 5).verdict).toBe('reproduced');
    expect(decideCrossing('baseline', 9, 10, 0, 5).verdict).toBe('not reproduced');
    expect(decideCrossing('baseline', 5, 10, 100, 5).verdict).toBe('not reproduced');
    expect(decideCrossing('baseline', 4, 10, 100, 5).verdict).toBe('contradicted');
    const g = (n: number) => ({ label: 'x', grokked: n });
    expect(decideDelay({ a: g(5), b: g(5), delay: 10, p: 0.049 }, 5, 0.05).verdict).toBe('reproduced');
    expect(decideDelay({ a: g(5), b: g(5), delay: 10, p: 0.05 }, 5, 0.05).verdict).toBe('not reproduced');
    expect(decideDelay({ a: g(5), b: g(5), delay: -10, p: 0.01 }, 5, 0.05).verdict).toBe('contradicted');
    expect(decideDelay({ a: g(5), b: g(5), delay: 10, p: NaN }, 5, 0.05).verdict).toBe('inconclusive');
    expect(decideDelay({ a: g(4), b: g(9), delay: 10, p: 0.001 }, 5, 0.05).verdict).toBe('inconclusive');
    expect(decideForecast(0.5, 0.1, 5, 5).verdict).toBe('reproduced');
    expect(decideForecast(0.49, 0.05, 5, 5).verdict).toBe('not reproduced');
    expect(decideForecast(0.09, 0.05, 5, 5).verdict).toBe('contradicted');
    expect(decideForecast(0.9, 0.51, 5, 5).verdict).toBe('contradicted');
    expect(decideForecast(null, null, 5, 5).verdict).toBe('inconclusive');
  });
});

test('renderClaimsMarkdown: the table, then each rule and why in a numbered list', () => {
  const rows = evaluateClaims(baseline(6, { normPeak: () => 800 }), roles, { bootstrap: { resamples: 200 } });
  const md = renderClaimsMarkdown([...rows, { ...rows[0]!, ours: 'a | b\nc' }]);
  const lines = md.split('\n');
  expect(lines[0]).toBe('| claim | paper | ours | verdict |');
  expect(lines[1]).toBe('|---|---|---|---|');
  expect(lines.slice(2, 10).map((l) => l.slice(0, 6))).toEqual([
    '| C1: ',
    '| C2: ',
    '| C3: ',
    '| C4: ',
    '| C5: ',
    '| C6: ',
    '| C7: ',
    '| C8: ',
  ]);
  expect(lines[2]).toMatch(/\| reproduced \|$/);
  expect(lines[10]).toBe(
    '| C1: Two phases: weight-norm expansion first, then entropy collapse; norm growth alone does not generalise | qualitative | a \\| b c | reproduced |',
  );
  const items = lines.filter((l) => /^\d+\. \*\*C\d/.test(l));
  expect(items).toHaveLength(9);
  expect(items[2]).toContain(`Rule: ${rows[2]!.rule}`);
  expect(items[2]).toContain(`Why: ${rows[2]!.why}`);
});
