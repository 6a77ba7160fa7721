import { bootstrapMeanDiffCI } from '../src/bootstrapMeanDiffCI';
import { cohensD } from '../src/cohensD';
import { mannWhitneyU } from '../src/mannWhitneyU';
import { seededRandom } from '../src/seededRandom';
import { welchTTest } from '../src/welchTTest';

// Reference values: scipy 1.10.1 (Debian python3-scipy), computed once and pasted here.
//   welch: stats.ttest_ind(a, b, equal_var=False) → t, p; df = (va+vb)²/(va²/(na−1)+vb²/(nb−1))
//          with va = a.var(ddof=1)/na (numpy), the Welch–Satterthwaite df scipy uses internally.
//   mw.asymptotic: stats.mannwhitneyu(a, b, alternative='two-sided', method='asymptotic', use_continuity=True)
//   mw.exact:      stats.mannwhitneyu(a, b, alternative='two-sided', method='exact')
//   mw.auto:       stats.mannwhitneyu(a, b, alternative='two-sided')   (U is the same for every method)
//   d: (a.mean() − b.mean()) / sqrt(((na−1)·a.var(ddof=1) + (nb−1)·b.var(ddof=1)) / (na+nb−2)), numpy
// `mid`, `eightVsFifteen` and `separated` were drawn once with numpy default_rng(42) and rounded.
interface Case {
  a: number[];
  b: number[];
  welch: { t: number; df: number; p: number };
  mw: { U: number; asymptotic: number; exact?: number; auto: number };
  d: number;
}
const cases: Record<string, Case> = {
  // unequal sizes, no ties, small: auto = exact
  unequal: {
    a: [12.1, 14.3, 9.8, 11.0, 13.7, 10.4, 12.9],
    b: [15.2, 16.8, 13.9, 17.4, 14.6, 18.1, 15.5, 16.0, 19.2, 14.1],
    welch: { t: -4.755266660182064, df: 13.378625019365625, p: 0.0003476094047390153 },
    mw: { U: 2, asymptotic: 0.0015156239592407949, exact: 0.00041135335252982314, auto: 0.00041135335252982314 },
    d: -2.3274775851594676,
  },
  // ties within and across samples: tie-corrected asymptotic; auto = asymptotic
  ties: {
    a: [3, 5, 5, 7, 8, 8, 8, 10, 12, 13, 13, 15],
    b: [4, 5, 6, 8, 9, 9, 11, 13, 14, 16, 17, 18, 20],
    welch: { t: -1.4529488555288852, df: 21.695701824997553, p: 0.16054946099170972 },
    mw: { U: 53.5, asymptotic: 0.19012005575901025, auto: 0.19012005575901025 },
    d: -0.573819523741505,
  },
  small: {
    a: [1.1, 2.3, 3.8, 4.4, 5.0],
    b: [2.9, 6.1, 7.7, 8.2],
    welch: { t: -2.086551478357254, df: 5.039797282986708, p: 0.09085764505603733 },
    mw: { U: 3, asymptotic: 0.11134688653314041, exact: 0.1111111111111111, auto: 0.1111111111111111 },
    d: -1.4700484404839707,
  },
  // both samples > 8 with one tie (10.64): auto = asymptotic
  mid: {
    a: [10.61, 7.92, 11.5, 11.88, 6.1, 7.4, 10.26, 9.37, 9.97],
    b: [5.44, 10.64, 10.33, 8.2, 11.38, 9.4, 5.42, 9.11, 5.12, 10.64, 7.85],
    welch: { t: 0.9946504715850608, df: 17.965962193360703, p: 0.3331148730657927 },
    mw: { U: 60, asymptotic: 0.44724086493443127, auto: 0.44724086493443127 },
    d: 0.4392696983640164,
  },
  // 8 against 15, no ties: one sample ≤ 8, so auto = exact
  eightVsFifteen: {
    a: [4.82, 4.32, 6.22, 4.85, 4.57, 4.65, 5.53, 5.37],
    b: [6.41, 6.43, 8.14, 5.59, 5.49, 5.19, 6.62, 7.13, 5.89, 5.16, 5.18, 6.65, 6.74, 6.54, 5.33],
    welch: { t: -3.5950323972273845, df: 18.772286495719623, p: 0.0019601859018073486 },
    mw: { U: 16, asymptotic: 0.004986370728281145, exact: 0.0032387408884918647, auto: 0.0032387408884918647 },
    d: -1.4249988362368993,
  },
  // a above b everywhere (U = na·nb), tiny Welch p, a tie (101.1) so auto = asymptotic
  separated: {
    a: [101.2, 100.6, 101.1, 104.4, 101.1, 103.4],
    b: [70.3, 71.2, 72.5, 64.2, 68.7, 68.1],
    welch: { t: 24.33825018610867, df: 7.599864577136698, p: 1.7371342354745687e-8 },
    mw: { U: 36, asymptotic: 0.004998124765082457, auto: 0.004998124765082457 },
    d: 14.0516952965543,
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
  test("Mann–Whitney U, method 'auto' picks what scipy picks", () => {
    const r = mannWhitneyU(c.a, c.b);
    expect(r.U).toBe(c.mw.U);
    expect(Math.abs(r.p - c.mw.auto)).toBeLessThan(1e-4);
  });
  if (c.mw.exact !== undefined) {
    test('Mann–Whitney U, exact', () => {
      const r = mannWhitneyU(c.a, c.b, { method: 'exact' });
      expect(r.U).toBe(c.mw.U);
      expect(Math.abs(r.p - c.mw.exact!)).toBeLessThan(1e-4);
    });
  }
});

test('Welch p keeps relative precision far in the tail', () => {
  // stats.ttest_ind(a, b, equal_var=False) → t = 51.88001460885644, p = 2.9320883265620934e-14.
  // 2·(1 − cdf(|t|)) would give 2.93099e-14 here (4e-4 relative error): too few digits.
  const a = [101.2, 100.6, 101.1, 104.4, 101.1, 103.4, 102.0, 100.9];
  const b = [50.3, 51.2, 52.5, 44.2, 48.7, 48.1, 49.0, 50.6];
  const r = welchTTest(a, b);
  expect(rel(r.t, 51.88001460885644)).toBeLessThan(1e-6);
  expect(rel(r.p, 2.9320883265620934e-14)).toBeLessThan(1e-6);
});

test('exact Mann–Whitney by hand', () => {
  // 2 vs 2: 6 equally likely arrangements; U = 0 and U = 4 occur once each → p = 2/6.
  expect(mannWhitneyU([1, 2], [3, 4], { method: 'exact' })).toEqual({ U: 0, p: 1 / 3 });
  // 1 vs 2, a in the middle: U = 1 is the centre of {0, 1, 2} → p = min(1, 2·2/3) = 1.
  expect(mannWhitneyU([2], [1, 3], { method: 'exact' })).toEqual({ U: 1, p: 1 });
  // 3 vs 4, complete separation: U = 12 is 1 of C(7,3) = 35 arrangements → p = 2/35.
  expect(mannWhitneyU([5, 6, 7], [1, 2, 3, 4], { method: 'exact' }).p).toBeCloseTo(2 / 35, 14);
});

test('bad input to the tests is a named error', () => {
  expect(() => mannWhitneyU([1, 2, 2], [2, 3], { method: 'exact' })).toThrow(/exact method needs samples without ties/);
  expect(() => mannWhitneyU([], [1])).toThrow(/non-empty/);
  expect(() => welchTTest([1], [1, 2])).toThrow(/at least 2 values per sample, got 1 and 2/);
  expect(() => cohensD([1], [2])).toThrow(/at least 3 values/);
});

test('Welch on two constant samples is undefined, not a crash', () => {
  const r = welchTTest([5, 5, 5], [5, 5]);
  expect([r.t, r.df, r.p].every(Number.isNaN)).toBe(true);
});

describe('bootstrapMeanDiffCI', () => {
  test('closed form: a = [0, 1], b = [0]', () => {
    // A resample of a has mean 0, 1/2 or 1 with probabilities 1/4, 1/2, 1/4, and b's is 0: with
    // 10,000 resamples the 2.5% and 97.5% quantiles sit inside the end atoms, 0 and 1.
    expect(bootstrapMeanDiffCI([0, 1], [0], { resamples: 10000, seed: 11 })).toEqual({ low: 0, high: 1 });
    // At level 0.4 the 30% and 70% quantiles both fall in the middle atom (mass 0.25 to 0.75).
    expect(bootstrapMeanDiffCI([0, 1], [0], { resamples: 10000, seed: 11, level: 0.4 })).toEqual({
      low: 0.5,
      high: 0.5,
    });
  });
  test('seeded: same seed, same interval; another seed, another interval', () => {
    const r = seededRandom(1);
    const a = Array.from({ length: 40 }, () => 10 + r());
    const b = Array.from({ length: 40 }, () => 9 + r());
    const ci = bootstrapMeanDiffCI(a, b, { resamples: 4000, seed: 3 });
    expect(ci).toEqual(bootstrapMeanDiffCI(a, b, { resamples: 4000, seed: 3 }));
    expect(ci).not.toEqual(bootstrapMeanDiffCI(a, b, { resamples: 4000, seed: 4 }));
  });
  test('matches the normal-theory width on a large sample', () => {
    // Uniform(0,1) samples, n = 200 each: sd of the mean difference = sqrt(2/12/200) ≈ 0.02887,
    // so a 95% interval is ≈ ±1.96·0.02887 = ±0.0566 around the observed difference.
    const r = seededRandom(5);
    const a = Array.from({ length: 200 }, () => r());
    const b = Array.from({ length: 200 }, () => r());
    const d = a.reduce((s, v) => s + v, 0) / 200 - b.reduce((s, v) => s + v, 0) / 200;
    const ci = bootstrapMeanDiffCI(a, b, { resamples: 4000, seed: 9 });
    expect((ci.high - ci.low) / 2).toBeGreaterThan(0.0566 * 0.85);
    expect((ci.high - ci.low) / 2).toBeLessThan(0.0566 * 1.15);
    expect(Math.abs((ci.high + ci.low) / 2 - d)).toBeLessThan(0.01);
  });
  test('bad options are named errors', () => {
    expect(() => bootstrapMeanDiffCI([], [1])).toThrow(/non-empty/);
    expect(() => bootstrapMeanDiffCI([1], [1], { level: 95 })).toThrow(/level must lie in \(0, 1\)/);
    expect(() => bootstrapMeanDiffCI([1], [1], { resamples: 0 })).toThrow(/resamples must be a positive integer/);
  });
});

test('seededRandom is mulberry32: the first draw for seed 1 matches other implementations', () => {
  // 0.6270739405881613 is what the common JavaScript mulberry32 returns first for seed 1 (the
  // value other projects pin in their own tests).
  expect(seededRandom(1)()).toBe(0.6270739405881613);
  const r = seededRandom(2026);
  const xs = Array.from({ length: 20000 }, () => r());
  expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...xs)).toBeLessThan(1);
  // Mean of 20,000 uniforms: sd 1/sqrt(12·20000) ≈ 0.002; 0.01 is five sd.
  expect(Math.abs(xs.reduce((s, v) => s + v, 0) / xs.length - 0.5)).toBeLessThan(0.01);
});
