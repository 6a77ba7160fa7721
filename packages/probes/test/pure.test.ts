import { Rng } from '@grokscope/core';
import { CovarianceAccumulator, fourierAlignment, interpolateTrajectory, spectralEntropy } from '../src';

function gaussian(n: number, d: number, seed: number, scales?: number[]): Float64Array {
  const rng = new Rng(seed);
  const z = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) z[i] = rng.normal() * (scales ? scales[i % d]! : 1);
  return z;
}

describe('spectralEntropy closed forms', () => {
  test('isotropic data: H̃ ≈ 1', () => {
    // n = 20000, d = 8: sample eigenvalues deviate from 1 by ~√(d/n) ≈ 2%, which moves H̃ by
    // O(deviation²) ≈ 3e-4; 0.005 leaves a wide margin while 1 − 0.005 is far from any collapse.
    const m = spectralEntropy(gaussian(20000, 8, 1), 20000, 8);
    expect(m.Hn).toBeGreaterThan(0.995);
    expect(m.Hn).toBeLessThanOrEqual(1);
    expect(m.effectiveRank).toBeGreaterThan(7.8);
  });
  test('rank-1 data: H̃ = 0, participation ratio 1', () => {
    const n = 50,
      d = 6;
    const rng = new Rng(2);
    const dir = [1, -2, 0.5, 3, 0, 1];
    const z = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const s = rng.normal();
      for (let j = 0; j < d; j++) z[i * d + j] = s * dir[j]! + 10; // an offset too: centring removes it
    }
    const m = spectralEntropy(z, n, d);
    expect(m.Hn).toBeLessThan(1e-6);
    expect(m.participationRatio).toBeCloseTo(1, 6);
    expect(m.topShare).toBeCloseTo(1, 6);
  });
  test('two exact eigenvalues 3 and 1: H = −(¾ ln ¾ + ¼ ln ¼)', () => {
    // Rows ±√3·e1·… constructed so the sample covariance is exactly diag(3, 1, 0, 0):
    // four rows (±a, 0), (0, ±b) with a² ·2/(n−1) = 3 and b²·2/(n−1) = 1 for n = 4.
    const a = Math.sqrt(4.5),
      b = Math.sqrt(1.5);
    const z = [a, 0, 0, 0, -a, 0, 0, 0, 0, b, 0, 0, 0, -b, 0, 0];
    const m = spectralEntropy(z, 4, 4);
    const H = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(m.H).toBeCloseTo(H, 10);
    expect(m.Hn).toBeCloseTo(H / Math.log(4), 10);
    expect(m.effectiveRank).toBeCloseTo(Math.exp(H), 10);
    expect(m.participationRatio).toBeCloseTo(16 / 10, 10);
  });
});

test('chunked covariance equals the one-shot covariance', () => {
  const n = 1000,
    d = 5;
  const z = gaussian(n, d, 3, [1, 2, 3, 0.5, 10]).map((x, i) => x + (i % d) * 100);
  const one = new CovarianceAccumulator(d);
  one.add(z, n);
  const chunked = new CovarianceAccumulator(d);
  for (let s = 0; s < n; s += 137) chunked.add(z.subarray(s * d, Math.min(n, s + 137) * d));
  // Two-pass reference in float64.
  const mean = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += z[i * d + j]!;
    return s / n;
  });
  const ref = (i: number, j: number) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += (z[r * d + i]! - mean[i]!) * (z[r * d + j]! - mean[j]!);
    return s / (n - 1);
  };
  const a = one.covariance(),
    b = chunked.covariance();
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      expect(b[i * d + j]).toBeCloseTo(a[i * d + j]!, 9);
      expect(a[i * d + j]).toBeCloseTo(ref(i, j), 8);
    }
});

describe('Fourier alignment', () => {
  const p = 97,
    d = 16;
  const residues = Int32Array.from({ length: p }, (_, i) => i);
  test('is 1 for embeddings built from a single frequency, and names it', () => {
    const rng = new Rng(4);
    const [c, s] = [rng.normalArray(d), rng.normalArray(d)];
    const we = new Float64Array(p * d);
    for (let x = 0; x < p; x++)
      for (let j = 0; j < d; j++)
        we[x * d + j] = c[j]! * Math.cos((2 * Math.PI * 7 * x) / p) + s[j]! * Math.sin((2 * Math.PI * 7 * x) / p) + 0.3;
    const f = fourierAlignment(we, p, d, p, residues, 5);
    expect(f.alignment).toBeCloseTo(1, 9);
    expect(f.keyFrequencies[0]).toBe(7);
  });
  test('is low for random embeddings', () => {
    // Random rows spread energy evenly over the 48 frequencies: top 5 of 48 ≈ 5/48 ≈ 0.10 plus
    // the order-statistics excess of chi-square(2·16) maxima, well under 0.2.
    const f = fourierAlignment(new Rng(5).normalArray(p * d), p, d, p, residues, 5);
    expect(f.alignment).toBeGreaterThan(5 / 48);
    expect(f.alignment).toBeLessThan(0.2);
  });
});

test('reference trajectories interpolate linearly and hold at the ends', () => {
  expect(interpolateTrajectory([0, 10, 20], [1, 3, 2], 5)).toBe(2);
  expect(interpolateTrajectory([0, 10, 20], [1, 3, 2], 15)).toBe(2.5);
  expect(interpolateTrajectory([0, 10, 20], [1, 3, 2], 25)).toBe(2);
  expect(interpolateTrajectory([10, 20], [4, 5], 3)).toBe(4);
});
