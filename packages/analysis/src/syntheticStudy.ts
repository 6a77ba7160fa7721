import { DEFAULT_THRESHOLDS, METRIC_TAGS, RUN_FORMAT } from '@grokscope/base';
import type { RunData, RunRecord } from './runReader';
import { seededRandom } from './seededRandom';
import type { ClaimRow, StudyRoles } from './claims/claimModule';
import { evaluateClaims } from './claims/evaluateClaims';
import type { StudyInfo } from './studyReport';

/**
 * A synthetic study with known shapes, for rendering and checking the study report without
 * training anything (the browser test and `scripts/screenshotReport.js` use it). Every run is
 * made from smooth curves plus seeded noise, evaluated every 100 steps:
 * - `baseline` (Z/97 add) and `baseline-sub`: memorise near step 400, H̃ collapses from ≈0.82
 *   to a floor near 0.5 (±0.012 by seed) ≈900 steps before test accuracy jumps (t_grok ≈ 2,600 / 3,100);
 *   the weight norm peaks before the collapse; the Fourier alignment rises as H̃ falls.
 * - `entropy-floor` (intervention): collapse and grokking ≈1,500 steps later; one seed censored.
 * - `mixing` (second intervention): ≈700 steps later.
 * - `norm-matched`: groks near the baseline.
 * - `mlp`: H̃ collapses, test accuracy never rises (every run censored at its 4,000-step cap).
 * - `dihedral` (non-abelian): groks near 3,400 with a lower H̃ floor; its irreps alignment rises as H̃ falls.
 * The claim rows are `evaluateClaims` over these runs.
 */
export interface SyntheticStudy {
  readonly runs: RunData[];
  readonly roles: StudyRoles;
  readonly study: StudyInfo;
  readonly claims: ClaimRow[];
}

export interface SyntheticStudyOptions {
  /** Seeds per condition (default 6; the last entropy-floor seed never groks). */
  readonly seeds?: number;
  /** Leave out the MLP and non-abelian conditions (their figures are then omitted). */
  readonly withoutControls?: boolean;
}

interface Shape {
  readonly condition: string;
  readonly task: string;
  readonly model: 'transformer' | 'mlp';
  /** Centre of the test-accuracy jump; null: never groks. */
  readonly grok: ((seed: number) => number | null) | null;
  /** Centre of the H̃ collapse. */
  readonly collapse: (seed: number) => number;
  readonly hHigh: number;
  readonly hLow: number;
  readonly cap: number;
  readonly fourier: boolean;
  /** Records `irreps/alignment` (a non-abelian group's), rising as H̃ falls. */
  readonly irreps?: boolean;
  /** Where the weight norm declines (default: with the H̃ collapse); the norm-matched runs follow the intervention's. */
  readonly normCollapse?: (seed: number) => number;
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo = 0, hi = 1) => Math.min(hi, Math.max(lo, x));

function records(shape: Shape, seed: number, rand: () => number): { records: RunRecord[]; stopped: boolean } {
  const grok = shape.grok ? shape.grok(seed) : null;
  const collapse = shape.collapse(seed);
  // The floor H̃ settles on differs a little by seed, so the runs cross H̃* (the highest minimum) at different leads.
  const hLow = shape.hLow + 0.012 * ((seed % 3) - 1);
  const tMem = 350 + 20 * seed;
  const normCollapse = shape.normCollapse ? shape.normCollapse(seed) : collapse;
  const normPeak = Math.min(normCollapse - 500, 1200 + 40 * seed);
  const noise = (a: number) => a * (rand() - 0.5);
  const out: RunRecord[] = [];
  let grokked: number | null = null;
  for (let step = 0; step <= shape.cap; step += 100) {
    const train = clamp(0.05 + 0.96 * sig((step - tMem) / 50));
    const test = clamp(
      0.04 + 0.1 * sig((step - tMem) / 80) + (grok === null ? 0 : 0.88 * sig((step - grok) / 90)) + noise(0.01),
    );
    const h = hLow + (shape.hHigh - hLow) * (1 - sig((step - collapse) / 180)) + noise(0.006);
    const norm = 20 + 18 * Math.min(1, step / normPeak) - 12 * sig((step - normCollapse) / 350) + noise(0.1);
    const metrics: Record<string, number> = {
      [METRIC_TAGS.accuracyTrain]: train,
      [METRIC_TAGS.accuracyTest]: test,
      [METRIC_TAGS.entropyHn]: h,
      [METRIC_TAGS.normWeights]: norm,
    };
    if (shape.fourier)
      metrics[METRIC_TAGS.fourierAlignment] = clamp(
        0.12 + 0.78 * (1 - (h - hLow) / (shape.hHigh - hLow)) + noise(0.03),
      );
    // No draw from `rand` of its own (H̃ carries the noise), so every other series stays as it was.
    if (shape.irreps) metrics[METRIC_TAGS.irrepAlignment] = clamp(0.3 + 0.6 * (1 - (h - hLow) / (shape.hHigh - hLow)));
    out.push({ step, wallMs: step * 3, metrics });
    if (grokked === null && test >= DEFAULT_THRESHOLDS.grokked) grokked = step;
    // Early stop 1,000 steps after grokking, like `train.stopAfterGrokked: 1000`.
    if (grokked !== null && step >= grokked + 1000) return { records: out, stopped: true };
  }
  return { records: out, stopped: false };
}

export function syntheticStudy(o: SyntheticStudyOptions = {}): SyntheticStudy {
  const seeds = o.seeds ?? 6;
  const floorCollapse = (s: number) => (s === seeds - 1 ? 9000 : 3100 + 150 * s);
  const shapes: Shape[] = [
    {
      condition: 'baseline',
      task: 'Z/97 add',
      model: 'transformer',
      grok: (s) => 2500 + 130 * s,
      collapse: (s) => 1600 + 130 * s,
      hHigh: 0.82,
      hLow: 0.5,
      cap: 6000,
      fourier: true,
    },
    {
      condition: 'baseline-sub',
      task: 'Z/97 sub',
      model: 'transformer',
      grok: (s) => 3000 + 110 * s,
      collapse: (s) => 2100 + 110 * s,
      hHigh: 0.8,
      hLow: 0.52,
      cap: 6000,
      fourier: true,
    },
    {
      condition: 'entropy-floor',
      task: 'Z/97 add',
      model: 'transformer',
      grok: (s) => (s === seeds - 1 ? null : 4000 + 150 * s),
      collapse: floorCollapse,
      hHigh: 0.83,
      hLow: 0.5,
      cap: 6000,
      fourier: true,
    },
    {
      condition: 'mixing',
      task: 'Z/97 add',
      model: 'transformer',
      grok: (s) => 3200 + 140 * s,
      collapse: (s) => 2300 + 140 * s,
      hHigh: 0.82,
      hLow: 0.5,
      cap: 6000,
      fourier: true,
    },
    {
      condition: 'norm-matched',
      task: 'Z/97 add',
      model: 'transformer',
      grok: (s) => 2600 + 120 * s,
      collapse: (s) => 1700 + 120 * s,
      hHigh: 0.82,
      hLow: 0.5,
      cap: 6000,
      fourier: true,
      normCollapse: floorCollapse,
    },
    ...(o.withoutControls
      ? []
      : ([
          {
            condition: 'mlp',
            task: 'Z/97 add',
            model: 'mlp',
            grok: null,
            collapse: (s) => 1500 + 100 * s,
            hHigh: 0.78,
            hLow: 0.34,
            cap: 4000,
            fourier: true,
          },
          {
            condition: 'dihedral',
            task: 'D_12 compose',
            model: 'transformer',
            grok: (s) => 3400 + 120 * s,
            collapse: (s) => 2500 + 120 * s,
            hHigh: 0.76,
            hLow: 0.4,
            cap: 6000,
            fourier: false,
            irreps: true,
          },
        ] satisfies Shape[])),
  ];
  const runs: RunData[] = [];
  shapes.forEach((shape, k) => {
    for (let seed = 0; seed < seeds; seed++) {
      const { records: recs, stopped } = records(shape, seed, seededRandom(1000 * k + seed));
      const config = {
        name: 'synthetic',
        condition: shape.condition,
        seed,
        task: shape.task,
        model: { kind: shape.model },
      };
      runs.push({
        dir: `/synthetic-study/seed=${seed},condition=${shape.condition}`,
        name: `seed=${seed},condition=${shape.condition}`,
        manifest: {
          format: RUN_FORMAT,
          trainer: { name: 'synthetic-study', version: '1' },
          config,
          seed,
          backend: 'synthetic',
        },
        records: recs,
        summary: { status: stopped ? 'stopped' : 'completed', steps: recs[recs.length - 1]!.step },
        condition: shape.condition,
        warnings: [],
      });
    }
  });
  const roles: StudyRoles = {
    baseline: ['baseline', 'baseline-sub'],
    intervention: 'entropy-floor',
    intervention2: 'mixing',
    normMatched: 'norm-matched',
    ...(o.withoutControls ? {} : { mlp: 'mlp', nonAbelian: 'dihedral' }),
  };
  const study: StudyInfo = {
    name: 'synthetic',
    scale: 'synthetic',
    command: `grokscope reproduce --scale synthetic --seeds ${seeds} --out report/synthetic`,
    configs: {
      name: 'synthetic',
      seeds,
      conditions: shapes.map((s) => ({ condition: s.condition, task: s.task, model: s.model, cap: s.cap })),
    },
    versions: { '@grokscope/analysis': '0.1.0', '@grokscope/core': '0.1.0' },
    wallMs: 754_000,
  };
  return { runs, roles, study, claims: evaluateClaims(runs, roles) };
}
