import { levenbergMarquardt } from 'ml-levenberg-marquardt';

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
 * Least-squares fit of y = C1·x^γ + C2 (x > 0) by Levenberg–Marquardt. Starting values come
 * from a grid over γ with C1, C2 solved exactly for each (the model is linear in them), so the
 * fit does not depend on a guess; LM then refines the best few and the lowest SSE wins.
 */
export function fitPowerLaw(x: readonly number[], y: readonly number[]): PowerLawFit {
  if (x.length !== y.length) throw new RangeError(`fitPowerLaw: x has ${x.length} values, y has ${y.length}`);
  if (x.length < 4) throw new RangeError(`fitPowerLaw needs at least 4 points for 3 parameters, got ${x.length}`);
  if (x.some((v) => !(v > 0))) throw new RangeError('fitPowerLaw: every x must be > 0 (x = H̃ − H̃* before the crossing)');
  const sse = (p: number[]) => x.reduce((s, xi, i) => s + (p[0]! * Math.pow(xi, p[1]!) + p[2]! - y[i]!) ** 2, 0);
  const starts: { p: number[]; e: number }[] = [];
  for (let g = 0.1; g <= 5.0001; g += 0.1) {
    const p = linearFit(x.map((v) => Math.pow(v, g)), y);
    if (p) starts.push({ p: [p[0], g, p[1]], e: sse([p[0], g, p[1]]) });
  }
  starts.sort((a, b) => a.e - b.e);
  let best = starts[0]!;
  for (const s of starts.slice(0, 3)) {
    const scale = Math.max(...s.p.map(Math.abs), 1);
    const r = levenbergMarquardt(
      { x: [...x], y: [...y] },
      ([c1, g, c2]: number[]) => (t: number) => c1! * Math.pow(t, g!) + c2!,
      { initialValues: s.p, damping: 1e-2, maxIterations: 500, errorTolerance: 1e-12, gradientDifference: 1e-6 * scale, improvementThreshold: 1e-6 } as never,
    );
    const p = r.parameterValues;
    const e = sse(p);
    if (p.every(Number.isFinite) && e < best.e) best = { p, e };
  }
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  const sst = y.reduce((s, v) => s + (v - my) ** 2, 0);
  return { C1: best.p[0]!, gamma: best.p[1]!, C2: best.p[2]!, r2: sst > 0 ? 1 - best.e / sst : NaN };
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
