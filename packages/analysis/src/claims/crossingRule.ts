import { num, share, steps } from '../claimNumbers';
import type { ThresholdAnalysis } from '../threshold';
import { type Decision, type RuleParameters, thresholdRuleText, tooFew } from '../verdictRules';
import type { ClaimOutcome, Group, Stats } from './claimModule';
import { absentRole, groupStats, tally } from './groupTally';

/** C2, C6: the leave-one-run-out crossing share that reproduces, and below which the claim is contradicted. */
export const CROSSING_CUTOFFS = Object.freeze({ reproduced: 0.9, contradicted: 0.5 });

/** The crossing rule in words, for the runs of `who` (C2: baseline, C6: non-abelian). */
export function crossingRule(who: string, p: RuleParameters): string {
  const t = CROSSING_CUTOFFS;
  return (
    `Over the grokked finished ${who} runs: ${thresholdRuleText(p.threshold)}. Each run is scored leave-one-run-out, against H̃* from the other runs: it crossed if H̃ ≤ H̃* at an evaluation after t_mem and no later than t_grok, with lead t_grok − t_cross. ` +
    `Reproduced if the leave-one-run-out crossing share ≥ ${t.reproduced} and the mean leave-one-run-out lead > 0; contradicted if that share < ${t.contradicted}; otherwise not reproduced; inconclusive with fewer than ${p.minN} grokked runs. Censored runs are counted and reported, never scored as crossing.`
  );
}

/** `crossed` of `n` runs crossed the leave-one-run-out H̃* by t_grok, with mean lead `meanLead` (null: none crossed). */
export function decideCrossing(
  who: string,
  crossed: number,
  n: number,
  meanLead: number | null,
  minN: number,
): Decision {
  const t = CROSSING_CUTOFFS;
  if (n < minN) return tooFew(`only ${n} grokked ${who} runs could be scored`, minN);
  const s = crossed / n;
  const what = `leave-one-run-out crossing share ${share(crossed, n)}`;
  const lead = `mean leave-one-run-out lead ${steps(meanLead)} steps`;
  if (s >= t.reproduced && meanLead !== null && meanLead > 0)
    return { verdict: 'reproduced', why: `${what} ≥ ${t.reproduced} and ${lead} > 0` };
  if (s < t.contradicted) return { verdict: 'contradicted', why: `${what} < ${t.contradicted}` };
  if (s >= t.reproduced)
    return {
      verdict: 'not reproduced',
      why: `${what} ≥ ${t.reproduced}, but ${lead}, not > 0 (H̃ reached H̃* only as test accuracy rose)`,
    };
  return { verdict: 'not reproduced', why: `${what}, between ${t.contradicted} and ${t.reproduced}; ${lead}` };
}

/** H̃* of `who`'s runs and their leave-one-run-out crossings, as a claim's outcome (C2, C6). */
export function crossingOutcome(
  who: Group,
  a: ThresholdAnalysis,
  minN: number,
  extra: Stats,
  extraText: string,
): ClaimOutcome {
  const absent = absentRole(who);
  if (absent) return absent;
  const n = a.leaveOneOut.length;
  const crossed = a.leaveOneOut.filter((c) => c.crossedBeforeGrok).length;
  const looLead = a.lead.leaveOneOut?.mean ?? null;
  const unscored = who.grokked.length - n;
  const statistics: Stats = {
    threshold: a.threshold,
    minimaMean: a.minima?.mean ?? null,
    minimaSd: a.minima?.sd ?? null,
    minimaCV: a.minima?.cv ?? null,
    looCrossingShare: a.crossingShare.leaveOneOut,
    looCrossed: crossed,
    looMeanLead: looLead,
    inSampleCrossingShare: a.crossingShare.inSample,
    inSampleMeanLead: a.lead.inSample?.mean ?? null,
    scored: n,
    unscored,
    ...groupStats(who.prefix, who),
    ...extra,
  };
  const minima = a.minima ? `m_r ${num(a.minima.mean)} ± ${num(a.minima.sd)} (CV ${num(a.minima.cv, 2)})` : 'no m_r';
  const notScored = unscored ? `, ${unscored} grokked without H̃ between t_mem and t_grok not scored` : '';
  const ours =
    `H̃* = ${num(a.threshold)}${extraText}; ${minima}; leave-one-run-out crossing ${share(crossed, n)}, mean lead ${steps(looLead)} steps ` +
    `(n = ${n} grokked runs scored${notScored}; ${tally(who)})`;
  return {
    ours,
    n,
    censored: who.censored.length,
    statistics,
    decision: decideCrossing(who.label, crossed, n, looLead, minN),
  };
}
