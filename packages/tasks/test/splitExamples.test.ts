import { splitExamples } from '../src';

test('disjoint, covering, sorted, of size round(fraction·count)', () => {
  for (const [count, fraction] of [
    [961, 0.6],
    [49, 0.3],
    [9409, 0.3],
    [2, 0.5],
  ] as const) {
    const { train, test } = splitExamples(count, fraction, 3);
    expect(train.length).toBe(Math.round(fraction * count));
    expect(train.length + test.length).toBe(count);
    expect(new Set([...train, ...test]).size).toBe(count);
    for (const part of [train, test]) {
      expect(part).toBeInstanceOf(Int32Array);
      for (let i = 1; i < part.length; i++) expect(part[i]!).toBeGreaterThan(part[i - 1]!);
    }
  }
  expect(splitExamples(49, 0.3, 0).train.length).toBe(15); // 14.7 rounds up
});

test('the same seed gives the same split; another seed another one', () => {
  const s = splitExamples(961, 0.3, 7);
  expect(splitExamples(961, 0.3, 7)).toEqual(s);
  expect(splitExamples(961, 0.3, 8).train).not.toEqual(s.train);
});

test('pinned: a split is a function of (count, fraction, seed) only, on every machine', () => {
  // Recorded once from Rng.derive(seed, 'split'); a change here changes every published split.
  expect([...splitExamples(10, 0.3, 0).train]).toEqual(PINNED_SEED_0);
  expect([...splitExamples(10, 0.3, 12345).train]).toEqual(PINNED_SEED_12345);
});

test('bad arguments are named errors', () => {
  for (const f of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => splitExamples(100, f, 0)).toThrow(/^trainFraction: must be a number strictly between 0 and 1/);
  expect(() => splitExamples(10, 0.01, 0)).toThrow(/trainFraction: 0\.01 of 10 examples leaves the train set empty/);
  expect(() => splitExamples(10, 0.99, 0)).toThrow(/trainFraction: 0\.99 of 10 examples leaves the test set empty/);
  expect(() => splitExamples(100, 0.3, 1.5)).toThrow(/seed: must be an integer/);
  expect(() => splitExamples(1, 0.3, 0)).toThrow(/count must be an integer ≥ 2/);
});

const PINNED_SEED_0 = [2, 5, 6];
const PINNED_SEED_12345 = [1, 6, 7];
