import { fitPowerLaw, formatPowerLaw, powerLaw } from '../src/powerLaw';
import { seededRandom } from '../src/seededRandom';

const rel = (x: number, ref: number) => Math.abs(x - ref) / Math.abs(ref);

describe('fitPowerLaw against scipy.optimize.curve_fit (scipy 1.10.1)', () => {
  test('γ > 1: y was 8000·x^1.6 + 150 + N(0, 40²) (numpy default_rng(0)), rounded to 0.1', () => {
    // curve_fit(lambda t, c1, g, c2: c1*t**g + c2, x, y, p0=[5000, 1.5, 100])
    //   → C1 = 6761.513038, γ = 1.48863427, C2 = 145.0050611; R² = 1 − SSE/SST = 0.9949509477
    const x = [0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.18, 0.21, 0.25, 0.3];
    const y = [170.3, 191.1, 264.3, 294.8, 329.6, 433.5, 586.6, 702.6, 780.5, 970.0, 1290.5];
    const fit = fitPowerLaw(x, y);
    expect(rel(fit.C1, 6761.513038)).toBeLessThan(1e-3);
    expect(rel(fit.gamma, 1.48863427)).toBeLessThan(1e-3);
    expect(rel(fit.C2, 145.0050611)).toBeLessThan(1e-3);
    expect(rel(fit.r2, 0.9949509477)).toBeLessThan(1e-3);
  });
  test('γ < 1, negative C2: y was 3000·x^0.8 − 50 + N(0, 15²) (numpy default_rng(5)), rounded to 0.1', () => {
    // curve_fit(…, p0=[1000, 1, 0]) and curve_fit(…, p0=[10, 3, 500], maxfev=20000) agree:
    //   → C1 = 2993.0777357, γ = 0.77931008, C2 = −72.599303; R² = 0.99901398130
    const x = [
      0.01, 0.0379, 0.0657, 0.0936, 0.1214, 0.1493, 0.1771, 0.205, 0.2329, 0.2607, 0.2886, 0.3164, 0.3443, 0.3721, 0.4,
    ];
    const y = [
      13.3, 148.9, 286.0, 407.3, 522.3, 606.8, 692.8, 782.6, 896.3, 997.9, 1064.2, 1126.3, 1214.0, 1334.3, 1394.4,
    ];
    const fit = fitPowerLaw(x, y);
    expect(rel(fit.C1, 2993.0777357)).toBeLessThan(1e-3);
    expect(rel(fit.gamma, 0.77931008)).toBeLessThan(1e-3);
    expect(rel(fit.C2, -72.599303)).toBeLessThan(1e-3);
    expect(rel(fit.r2, 0.9990139813)).toBeLessThan(1e-3);
  });
});

test('recovers known parameters from noisy synthetic data (seeded)', () => {
  const r = seededRandom(7);
  const xs = Array.from({ length: 60 }, (_, i) => 0.01 + i * 0.005);
  const truth = { C1: 12000, gamma: 1.65, C2: 300 };
  const ys = xs.map((v) => powerLaw(truth, v) + (r() - 0.5) * 20);
  const fit = fitPowerLaw(xs, ys);
  expect(rel(fit.gamma, truth.gamma)).toBeLessThan(0.05);
  expect(rel(fit.C1, truth.C1)).toBeLessThan(0.1);
  expect(Math.abs(fit.C2 - truth.C2)).toBeLessThan(20);
  expect(fit.r2).toBeGreaterThan(0.99);
});

test('noise-free data is fitted exactly, whatever the scale', () => {
  for (const truth of [
    { C1: 5e4, gamma: 2.3, C2: -800 },
    { C1: 0.02, gamma: 0.4, C2: 1e3 },
  ]) {
    const xs = Array.from({ length: 25 }, (_, i) => 0.02 + i * 0.03);
    const fit = fitPowerLaw(
      xs,
      xs.map((v) => powerLaw(truth, v)),
    );
    expect(rel(fit.gamma, truth.gamma)).toBeLessThan(1e-6);
    expect(rel(fit.C1, truth.C1)).toBeLessThan(1e-6);
    expect(rel(fit.C2, truth.C2)).toBeLessThan(1e-6);
    expect(fit.r2).toBeCloseTo(1, 10);
  }
});

test('powerLaw evaluates C1·x^γ + C2', () => expect(powerLaw({ C1: 3, gamma: 2, C2: 1 }, 4)).toBe(49));

test('bad input is a named error', () => {
  expect(() => fitPowerLaw([1, 2, 3], [1, 2, 3])).toThrow(/at least 4 points/);
  expect(() => fitPowerLaw([1, 2, 3, 4], [1, 2, 3])).toThrow(/x has 4 values, y has 3/);
  expect(() => fitPowerLaw([0, 1, 2, 3], [1, 2, 3, 4])).toThrow(/every x must be finite and > 0/);
  expect(() => fitPowerLaw([1, 2, 3, 4], [1, NaN, 3, 4])).toThrow(/every y must be finite/);
  expect(() => fitPowerLaw([2, 2, 2, 2], [1, 2, 3, 4])).toThrow(/x is constant/);
});

describe('formatPowerLaw', () => {
  test('writes C2 with its own sign and true minus signs', () => {
    expect(formatPowerLaw({ C1: 5000, gamma: 0.5, C2: -60 }, 0.59)).toBe('ΔT = 5000.0·(H̃ − 0.590)^0.50 − 60.0');
    expect(formatPowerLaw({ C1: 1200, gamma: 1.654, C2: 200 }, 0.6123, { gamma: 3, threshold: 4 })).toBe(
      'ΔT = 1200.0·(H̃ − 0.6123)^1.654 + 200.0',
    );
    expect(formatPowerLaw({ C1: -3, gamma: 2, C2: 0 }, null)).toBe('ΔT = −3.0·(H̃ − –)^2.00 + 0.0');
  });
});
