import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { num } from './claimNumbers';

export interface PowerLawFit {
  readonly C1: number;
  readonly gamma: number;
  readonly C2: number;
  /** 1 − SSE/SST on the fitted data. */
  readonly r2: number;
}

/** C1·x^γ + C2 */
export function powerLaw(fit: Pick<PowerLawFit, 'C1' | 'gamma' | 'C2'>, x: number): number {
  return fit.C1 * Math.pow(x, fit.gamma) + fit.C2;
}

/**
 * The forecast law as text, `ΔT = C1·(H̃ − H̃*)^γ + C2`, with a true minus for a negative C2
 * ("+ −60.0" read as a typo). One writer for the report and `grokscope forecast`.
 */
export function formatPowerLaw(
  fit: Pick<PowerLawFit, 'C1' | 'gamma' | 'C2'>,
  threshold: number | null,
  digits: { readonly coefficient?: number; readonly gamma?: number; readonly threshold?: number } = {},
): string {
  const { coefficient = 1, gamma = 2, threshold: t = 3 } = digits;
  const tail = `${fit.C2 < 0 ? '−' : '+'} ${num(Math.abs(fit.C2), coefficient)}`;
  return `ΔT = ${num(fit.C1, coefficient)}·(H̃ − ${num(threshold, t)})^${num(fit.gamma, gamma)} ${tail}`;
}

/**
 * Least-squares fit of y = C1·x^γ + C2 (x > 0) by Levenberg–Marquardt. The model is linear in
 * C1 and C2, so for each γ on a grid they are solved exactly; every local minimum of that
 * profile (up to three, best first) starts an LM run, and the lowest SSE wins. The fit thus
 * needs no guess from the caller and does not get stuck in the basin of a poor one.
 */
export function fitPowerLaw(x: readonly number[], y: readonly number[]): PowerLawFit {
  if (x.length !== y.length) throw new RangeError(`fitPowerLaw: x has ${x.length} values, y has ${y.length}`);
  if (x.length < 4) throw new RangeError(`fitPowerLaw needs at least 4 points for 3 parameters, got ${x.length}`);
  if (x.some((v) => !(v > 0) || !Number.isFinite(v)))
    throw new RangeError('fitPowerLaw: every x must be finite and > 0 (x = H̃ − H̃* before the crossing)');
  if (y.some((v) => !Number.isFinite(v))) throw new RangeError('fitPowerLaw: every y must be finite');
  const sse = (p: readonly number[]) =>
    x.reduce((s, xi, i) => s + (p[0]! * Math.pow(xi, p[1]!) + p[2]! - y[i]!) ** 2, 0);
  const profile: { p: number[]; e: number }[] = [];
  for (let k = 1; k <= 60; k++) {
    const g = k / 10;
    const lin = linearFit(
      x.map((v) => Math.pow(v, g)),
      y,
    );
    if (lin) profile.push({ p: [lin[0], g, lin[1]], e: sse([lin[0], g, lin[1]]) });
  }
  if (profile.length === 0)
    throw new RangeError('fitPowerLaw: x is constant, so C1 and C2 cannot be told apart; give at least two distinct x');
  const minima = profile.filter(
    (s, i) => (i === 0 || s.e <= profile[i - 1]!.e) && (i === profile.length - 1 || s.e <= profile[i + 1]!.e),
  );
  const starts = minima.sort((a, b) => a.e - b.e).slice(0, 3);
  let best = starts[0]!;
  for (const s of starts) {
    const r = refine(x, y, s.p, s.e, sse);
    if (r.p.every(Number.isFinite) && r.e < best.e) best = r;
  }
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  const sst = y.reduce((s, v) => s + (v - my) ** 2, 0);
  return { C1: best.p[0]!, gamma: best.p[1]!, C2: best.p[2]!, r2: sst > 0 ? 1 - best.e / sst : NaN };
}

/**
 * LM from `p`, in rounds of 25 iterations until a round gains less than 1e-12 of the SSE: the
 * library only stops at a fixed iteration count or an absolute SSE, and noisy data never
 * reaches an SSE near zero, so one long call would spend its whole budget after converging.
 */
function refine(
  x: readonly number[],
  y: readonly number[],
  p0: number[],
  e0: number,
  sse: (p: readonly number[]) => number,
): { p: number[]; e: number } {
  let p = p0;
  let e = e0;
  for (let round = 0; round < 20 && e > 0; round++) {
    const r = levenbergMarquardt(
      { x: [...x], y: [...y] },
      ([c1, g, c2]: number[]) =>
        (t: number) =>
          c1! * Math.pow(t, g!) + c2!,
      {
        initialValues: p,
        damping: 1e-2,
        maxIterations: 25,
        errorTolerance: 0,
        improvementThreshold: 1e-6,
        // Parameters differ by orders of magnitude (C1 ~ 1e4, γ ~ 1): one step size each.
        gradientDifference: p.map((v) => 1e-6 * Math.max(Math.abs(v), 1e-3)),
        centralDifference: true,
      },
    );
    const next = sse(r.parameterValues);
    if (!(next < e) || !r.parameterValues.every(Number.isFinite)) break;
    const gain = (e - next) / e;
    p = r.parameterValues;
    e = next;
    if (gain < 1e-12) break;
  }
  return { p, e };
}

/** Ordinary least squares y ≈ a·u + b; null when u is constant. */
function linearFit(u: number[], y: readonly number[]): [number, number] | null {
  const n = u.length;
  const mu = u.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let suu = 0;
  let suy = 0;
  for (let i = 0; i < n; i++) {
    suu += (u[i]! - mu) ** 2;
    suy += (u[i]! - mu) * (y[i]! - my);
  }
  if (!(suu > 0) || !Number.isFinite(suu)) return null;
  const a = suy / suu;
  return [a, my - a * mu];
}
