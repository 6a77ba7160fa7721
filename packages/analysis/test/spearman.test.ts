import { averageRanks, spearman } from '../src/spearman';

test('average ranks give tied values the mean of the ranks they span', () => {
  expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
  expect(averageRanks([3, 1, 3, 3, 2])).toEqual([4, 1, 4, 4, 2]);
  expect(averageRanks([])).toEqual([]);
});

test('a hand-worked example with ties in both samples', () => {
  // x = [1, 2, 2, 3, 4] → ranks [1, 2.5, 2.5, 4, 5]; y = [2, 1, 3, 3, 5] → ranks [2, 1, 3.5, 3.5, 5].
  // Both mean 3. Deviations dx = [−2, −0.5, −0.5, 1, 2], dy = [−1, −2, 0.5, 0.5, 2].
  // Σdx·dy = 2 + 1 − 0.25 + 0.5 + 4 = 7.25; Σdx² = Σdy² = 4 + 0.25 + 0.25 + 1 + 4 = 9.5.
  // ρ = 7.25 / 9.5 = 29/38.
  expect(spearman([1, 2, 2, 3, 4], [2, 1, 3, 3, 5])).toBeCloseTo(29 / 38, 12);
  // Symmetric in its arguments, and negating one sample negates ρ.
  expect(spearman([2, 1, 3, 3, 5], [1, 2, 2, 3, 4])).toBeCloseTo(29 / 38, 12);
  expect(spearman([1, 2, 2, 3, 4], [-2, -1, -3, -3, -5])).toBeCloseTo(-29 / 38, 12);
});

test('ranks, not values: any increasing relation is +1, any decreasing one −1', () => {
  const x = [0.1, 0.5, 2, 7, 30];
  expect(
    spearman(
      x,
      x.map((v) => Math.exp(v)),
    ),
  ).toBe(1);
  expect(
    spearman(
      x,
      x.map((v) => -(v ** 3)),
    ),
  ).toBe(-1);
});

test('undefined (null) for a constant sample or fewer than 2 pairs; mismatched lengths are an error', () => {
  expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
  expect(spearman([4], [1])).toBeNull();
  expect(spearman([], [])).toBeNull();
  expect(() => spearman([1, 2], [1, 2, 3])).toThrow(/x has 2 values, y has 3/);
  expect(() => averageRanks([1, NaN])).toThrow(/NaN/);
});
