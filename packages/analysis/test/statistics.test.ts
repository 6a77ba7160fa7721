import { bootstrapMeanDiffCI, cohensD, fitPowerLaw, mannWhitneyU, seededRandom, welchTTest } from '../src';

// Reference values: scipy 1.10.1 (Debian python3-scipy), computed once and pasted here:
//   stats.ttest_ind(a, b, equal_var=False)            → t, p (df by the Welch–Satterthwaite formula)
//   stats.mannwhitneyu(a, b, alternative='two-sided', method=…, use_continuity=True) → U, p
//   Cohen's d = (mean a − mean b) / sqrt(((na−1)·var_a + (nb−1)·var_b)/(na+nb−2)), numpy ddof=1
const cases = {
  unequal: {
    a: [12.1, 14.3, 9.8, 11.0, 13.7, 10.4, 12.9],
    b: [15.2, 16.8, 13.9, 17.4, 14.6, 18.1, 15.5, 16.0, 19.2, 14.1],
    welch: { t: -4.75526666018206, p: 0.000347609404739015, df: 13.3786250193656 },
    mw: { U: 2, asymptotic: 0.00151562395924079, exact: 0.000411353352529823 },
    d: -2.32747758515947,
  },
  ties: {
    a: [3, 5, 5, 7, 8, 8, 8, 10, 12, 13, 13, 15],
    b: [4, 5, 6, 8, 9, 9, 11, 13, 14, 16, 17, 18, 20],
    welch: { t: -1.45294885552889, p: 0.16054946099171, df: 21.6957018249976 },
    mw: { U: 53.5, asymptotic: 0.19012005575901 },
    d: -0.573819523741505,
  },
  small: {
    a: [1.1, 2.3, 3.8, 4.4, 5.0],
    b: [2.9, 6.1, 7.7, 8.2],
    welch: { t: -2.08655147835725, p: 0.0908576450560373, df: 5.03979728298671 },
    mw: { U: 3, asymptotic: 0.11134688653314, exact: 0.111111111111111 },
    d: -1.47004844048397,
  },
};
const rel = (x: number, ref: number) => Math.abs(x - ref) / Math.abs(ref);

describe.each(Object.entries(cases))('%s samples against scipy', (_name, c) => {
  test('Welch t-test', () => {
    const r = welchTTest(c.a, c.b);
    expect(rel(r.t, c.welch.t)).toBeLessThan(1e-6);
    expect(rel(r.df, c.welch.df)).toBeLessThan(1e-6);
    expect(Math.abs(r.p - c.welch.p)).toBeLessThan(1e-4);
  });
  test("Cohen's d", () => expect(rel(cohensD(c.a, c.b), c.d)).toBeLessThan(1e-6));
  test('Mann–Whitney U, asymptotic (tie and continuity corrections)', () => {
    const r = mannWhitneyU(c.a, c.b, { method: 'asymptotic' });
    expect(r.U).toBe(c.mw.U);
    expect(Math.abs(r.p - c.mw.asymptotic)).toBeLessThan(1e-4);
  });
  if ('exact' in c.mw) {
    test('Mann–Whitney U, exact; auto picks exact for small samples without ties', () => {
      const exact = (c.mw as { exact: number }).exact;
      expect(Math.abs(mannWhitneyU(c.a, c.b, { method: 'exact' }).p - exact)).toBeLessThan(1e-4);
      expect(Math.abs(mannWhitneyU(c.a, c.b).p - exact)).toBeLessThan(1e-4);
    });
  }
});

test('exact Mann–Whitney by hand: 2 vs 2, complete separation', () => {
  // 6 equally likely arrangements; U = 0 and U = 4 each occur once → two-sided p = 2/6.
  expect(mannWhitneyU([1, 2], [3, 4], { method: 'exact' })).toEqual({ U: 0, p: 1 / 3 });
  expect(() => mannWhitneyU([1, 2, 2], [2, 3], { method: 'exact' })).toThrow(/without ties/);
});

test('bootstrap CI is seeded and covers the true difference', () => {
  const r = seededRandom(1);
  const a = Array.from({ length: 40 }, () => 10 + r());
  const b = Array.from({ length: 40 }, () => 9 + r());
  const ci = bootstrapMeanDiffCI(a, b, { resamples: 4000, seed: 3 });
  expect(ci).toEqual(bootstrapMeanDiffCI(a, b, { resamples: 4000, seed: 3 }));
  expect(ci.low).toBeLessThan(1);
  expect(ci.high).toBeGreaterThan(1);
  expect(ci.high - ci.low).toBeLessThan(0.3);
});

describe('fitPowerLaw', () => {
  // scipy.optimize.curve_fit(lambda t, c1, g, c2: c1*t**g + c2, x, y, p0=[5000, 1.5, 100])
  //   → C1 = 6761.513038, γ = 1.48863427, C2 = 145.0050611, R² = 0.9949509477
  // y was generated as 8000·x^1.6 + 150 + N(0, 40²) (numpy default_rng(0)), rounded to 0.1.
  const x = [0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.18, 0.21, 0.25, 0.3];
  const y = [170.3, 191.1, 264.3, 294.8, 329.6, 433.5, 586.6, 702.6, 780.5, 970.0, 1290.5];
  test('matches scipy curve_fit to 1e-3 relative', () => {
    const f = fitPowerLaw(x, y);
    expect(rel(f.C1, 6761.513038)).toBeLessThan(1e-3);
    expect(rel(f.gamma, 1.48863427)).toBeLessThan(1e-3);
    expect(rel(f.C2, 145.0050611)).toBeLessThan(1e-3);
    expect(rel(f.r2, 0.9949509477)).toBeLessThan(1e-3);
  });
  test('recovers known parameters from noisy synthetic data, whatever the scale', () => {
    const r = seededRandom(7);
    const xs = Array.from({ length: 60 }, (_, i) => 0.01 + i * 0.005);
    const truth = { C1: 12000, gamma: 1.65, C2: 300 };
    const ys = xs.map((v) => truth.C1 * v ** truth.gamma + truth.C2 + (r() - 0.5) * 20);
    const f = fitPowerLaw(xs, ys);
    expect(rel(f.gamma, truth.gamma)).toBeLessThan(0.05);
    expect(rel(f.C1, truth.C1)).toBeLessThan(0.1);
    expect(Math.abs(f.C2 - truth.C2)).toBeLessThan(20);
    expect(f.r2).toBeGreaterThan(0.99);
  });
  test('bad input is a named error', () => {
    expect(() => fitPowerLaw([1, 2, 3], [1, 2, 3])).toThrow(/at least 4 points/);
    expect(() => fitPowerLaw([0, 1, 2, 3], [1, 2, 3, 4])).toThrow(/every x must be > 0/);
  });
});
