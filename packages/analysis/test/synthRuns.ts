// A small generator of run records whose events are known by construction, for the claims
// tests: train accuracy jumps to 1 at t_mem, test accuracy jumps to 0.99 at t_grok (never, for
// a censored run), and H̃, the weight norm and Fourier alignment follow the functions given.
import { RUN_FORMAT } from '@grokscope/base';
import type { RunData, RunRecord } from '../src/runReader';

export interface SynthSpec {
  readonly name: string;
  readonly condition?: string;
  /** The last evaluated step (where a censored run stops). */
  readonly cap: number;
  /** Evaluation interval (default 100). */
  readonly every?: number;
  readonly tMem: number;
  /** null: never groks (censored once finished). */
  readonly tGrok: number | null;
  readonly h: (t: number) => number;
  /** Weight norm (default constant 10: no peak before any step but 0). */
  readonly norm?: (t: number) => number;
  /** `fourier/alignment`; left out when absent. */
  readonly align?: (t: number) => number;
  /** `irreps/alignment` (a non-abelian run's); left out when absent. */
  readonly irreps?: (t: number) => number;
  /** summary.json (default: completed at `cap`); null: no summary (still training or killed). */
  readonly summary?: RunData['summary'];
}

export function synthRun(s: SynthSpec): RunData {
  const every = s.every ?? 100;
  const records: RunRecord[] = [];
  for (let t = 0; t <= s.cap; t += every) {
    const metrics: Record<string, number> = {
      'accuracy/train': t >= s.tMem ? 1 : 0.5,
      'accuracy/test': s.tGrok !== null && t >= s.tGrok ? 0.99 : 0.1,
      'entropy/Hn': s.h(t),
      'norm/weights': s.norm ? s.norm(t) : 10,
    };
    if (s.align) metrics['fourier/alignment'] = s.align(t);
    if (s.irreps) metrics['irreps/alignment'] = s.irreps(t);
    records.push({ step: t, wallMs: t, metrics });
  }
  const condition = s.condition ?? 'baseline';
  return {
    dir: `/synthetic/${condition}/${s.name}`,
    name: s.name,
    manifest: { format: RUN_FORMAT, trainer: { name: 'analysis-tests', version: '1' }, config: { condition }, seed: 0 },
    records,
    summary: s.summary === undefined ? { status: 'completed', steps: s.cap } : s.summary,
    condition,
    warnings: [],
  };
}

/** H̃ at `top` up to t_mem, falling linearly to `floor` at `tFloor`, then flat at `floor`. */
export const collapse =
  (tMem: number, tFloor: number, floor: number, top = 0.8) =>
  (t: number) =>
    t <= tMem ? top : t >= tFloor ? floor : top + ((floor - top) * (t - tMem)) / (tFloor - tMem);

/** Weight norm rising linearly from 10 to 20 at `peak`, then falling. */
export const normPeakAt = (peak: number) => (t: number) => (t <= peak ? 10 + (10 * t) / peak : 20 - (t - peak) / 1000);

export interface GrokkingSpec {
  readonly condition?: string;
  /** t_grok of run i (null: censored). */
  readonly tGrok: (i: number) => number | null;
  /** H̃ floor of run i (default 0.4), reached 500 steps before t_grok (or at 2,500 when censored). */
  readonly floor?: (i: number) => number;
  /** Weight-norm peak of run i (default: constant norm). */
  readonly normPeak?: (i: number) => number;
  readonly align?: (i: number, h: (t: number) => number) => ((t: number) => number) | undefined;
  readonly irreps?: (i: number, h: (t: number) => number) => ((t: number) => number) | undefined;
  /** Last step of a censored run (default 8,000); a grokked run stops 1,000 steps after t_grok. */
  readonly cap?: number;
}

export const T_MEM = 1000;

/**
 * `n` runs that memorise at 1,000 and whose H̃ collapses from 0.8 to its floor between t_mem and
 * 500 steps before t_grok: every run's minimum m_r up to t_grok is its floor, and it reaches it
 * before t_grok (lead > 0 against any H̃* ≥ its floor).
 */
export function grokkingRuns(n: number, s: GrokkingSpec): RunData[] {
  return Array.from({ length: n }, (_, i) => {
    const tGrok = s.tGrok(i);
    const tFloor = tGrok === null ? 2500 : Math.max(T_MEM + 100, tGrok - 500);
    const h = collapse(T_MEM, tFloor, s.floor ? s.floor(i) : 0.4);
    const peak = s.normPeak?.(i);
    return synthRun({
      name: `${s.condition ?? 'baseline'}-${i}`,
      condition: s.condition,
      cap: tGrok === null ? (s.cap ?? 8000) : tGrok + 1000,
      tMem: T_MEM,
      tGrok,
      h,
      norm: peak === undefined ? undefined : normPeakAt(peak),
      align: s.align?.(i, h),
      irreps: s.irreps?.(i, h),
    });
  });
}
