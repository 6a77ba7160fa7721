import { num, steps } from '../claimNumbers';
import { analyzeForecast } from '../forecast';
import { formatPowerLaw } from '../powerLaw';
import { type Decision, thresholdRuleText, tooFew } from '../verdictRules';
import type { ClaimModule, Stats } from './claimModule';
import { absentRole, groupStats, tally } from './groupTally';

/** The leave-one-run-out forecast error and in-sample R² that reproduce, and those that contradict C5. */
export const FORECAST_CUTOFFS = Object.freeze({ maxMape: 0.1, minR2: 0.5, contradictedR2: 0.1, contradictedMape: 0.5 });

/** In-sample R² and leave-one-run-out MAPE over `n` grokked runs (null: no fit / nothing scored). */
export function decideForecast(r2: number | null, mape: number | null, n: number, minN: number): Decision {
  const t = FORECAST_CUTOFFS;
  if (n < minN) return tooFew(`only ${n} grokked baseline runs`, minN);
  if (r2 === null || mape === null || !Number.isFinite(r2))
    return {
      verdict: 'inconclusive',
      why: 'no power law could be fitted or scored (fewer than 4 observations with H̃ > H̃* before t_grok)',
    };
  const what = `R² = ${num(r2)}, leave-one-run-out MAPE = ${num(mape)}`;
  if (mape <= t.maxMape && r2 >= t.minR2)
    return { verdict: 'reproduced', why: `${what}: MAPE ≤ ${t.maxMape} and R² ≥ ${t.minR2}` };
  if (r2 < t.contradictedR2 || mape > t.contradictedMape) {
    const which = [
      r2 < t.contradictedR2 ? `R² < ${t.contradictedR2}` : null,
      mape > t.contradictedMape ? `MAPE > ${t.contradictedMape}` : null,
    ]
      .filter((s) => s !== null)
      .join(' and ');
    return { verdict: 'contradicted', why: `${what}: ${which}` };
  }
  return {
    verdict: 'not reproduced',
    why: `${what}: neither MAPE ≤ ${t.maxMape} with R² ≥ ${t.minR2}, nor R² < ${t.contradictedR2} or MAPE > ${t.contradictedMape}`,
  };
}

/** C5: a power law forecasts the time left before grokking. */
export const C5: ClaimModule = {
  id: 'C5',
  claim: 'A power law forecasts the time left before grokking',
  paper: 'ΔT = C1·(H̃ − H̃*)^γ + C2, R² = 0.543, γ ≈ 1.65, mean forecast error 4.1%, mean lead 12,370 steps',
  rule: (p) => {
    const t = FORECAST_CUTOFFS;
    return (
      `Over the grokked finished baseline runs: fit ΔT = C1·(H̃ − H̃*)^γ + C2 in-sample, ${thresholdRuleText(p.threshold)}; then leave-one-run-out: H̃* and the law from the other runs, the held-out run's mean |t̂_grok − t_grok| / t_grok (MAPE) and mean lead over its forecast steps, averaged over runs. ` +
      `Reproduced if the leave-one-run-out MAPE ≤ ${t.maxMape} and R² ≥ ${t.minR2}; contradicted if R² < ${t.contradictedR2} or that MAPE > ${t.contradictedMape}; otherwise not reproduced; inconclusive with fewer than ${p.minN} grokked runs or when no law can be fitted.`
    );
  },
  figures: ['forecast'],
  evaluate(ctx) {
    const base = ctx.groups.baseline;
    const absent = absentRole(base);
    if (absent) return absent;
    const runs = base.finished.map((m) => ({ name: m.run.name, records: m.run.records }));
    const f = analyzeForecast(runs, ctx.options, ctx.params.threshold);
    const n = f.leaveOneOut.length;
    const scored = f.leaveOneOut.filter((s) => s.mape !== null).length;
    const statistics: Stats = {
      threshold: f.threshold,
      C1: f.fit?.C1 ?? null,
      gamma: f.fit?.gamma ?? null,
      C2: f.fit?.C2 ?? null,
      r2: f.fit?.r2 ?? null,
      observations: f.observations,
      looMape: f.mape,
      looMeanLead: f.meanLead,
      scored,
      ...groupStats('baseline', base),
    };
    const law = f.fit
      ? `${formatPowerLaw(f.fit, f.threshold)}, R² = ${num(f.fit.r2)} (${f.observations} observations)`
      : 'no fit';
    const mape = f.mape === null ? '–' : `${num(100 * f.mape, 1)}%`;
    const ours = `${law}; leave-one-run-out MAPE ${mape}, mean lead ${steps(f.meanLead)} steps (${scored} of ${n} runs scored; n = ${n} grokked; baseline: ${tally(base)})`;
    return {
      ours,
      n,
      censored: base.censored.length,
      statistics,
      decision: decideForecast(f.fit?.r2 ?? null, f.mape, n, ctx.params.minN),
    };
  },
};
