// The claims table's decision rules: their words (what the report prints next to each row) and
// the code that applies them. Both are fixed here, before any data is seen; evaluateClaims only
// computes the numbers they take.
import { num, pValue, share, steps } from './claimNumbers';
import { METRIC_TAGS } from '@grokscope/base';
import type { ThresholdRule } from './threshold';

export type Verdict = 'reproduced' | 'not reproduced' | 'contradicted' | 'inconclusive';
export type ClaimId = 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C7' | 'C8';
export const CLAIM_IDS: readonly ClaimId[] = Object.freeze(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);

/** A verdict and the branch of its rule that fired, with the numbers. */
export interface Decision {
  readonly verdict: Verdict;
  readonly why: string;
}

/** The cut-offs of the rules (not options: changing one changes the rule). */
export const VERDICT_THRESHOLDS = Object.freeze({
  /** C1: share of runs whose weight-norm peak precedes the collapse onset. */
  twoPhases: Object.freeze({ reproduced: 0.8, contradicted: 0.2 }),
  /** C2, C6: leave-one-run-out crossing share. */
  crossing: Object.freeze({ reproduced: 0.9, contradicted: 0.5 }),
  /** C5: leave-one-run-out mean forecast error and in-sample R². */
  forecast: Object.freeze({ maxMape: 0.1, minR2: 0.5, contradictedR2: 0.1, contradictedMape: 0.5 }),
  /** C7: finished MLP runs needed. */
  mlpMinRuns: 3,
  /** C8: mean within-run Spearman correlation and share of runs correlating negatively. */
  alignment: Object.freeze({ maxMeanRho: -0.5, negativeShare: 0.8, contradictedMeanRho: 0.5 }),
  /** C8: evaluations carrying both metrics needed for a run's correlation. */
  alignmentMinEvaluations: 3,
});

/** How C3 and C4 treat runs that never grokked. */
export const CENSORED_RUNS_RULE = 'censored runs are excluded from Welch and d; as a check, a Mann–Whitney U counts every censored run at its step cap';

/** What the caller may set before the data is seen; the rule texts quote them. */
export interface RuleParameters {
  /** Significance level of the Welch tests (default 0.05). */
  readonly alpha: number;
  /** Grokked runs needed per group (default 5). */
  readonly minN: number;
  /** How H̃* comes from the per-run minima (default: their max). */
  readonly threshold: ThresholdRule;
}

export const DEFAULT_RULE_PARAMETERS: RuleParameters = Object.freeze({ alpha: 0.05, minN: 5, threshold: Object.freeze({ kind: 'max' }) as ThresholdRule });

/** The H̃* rule in words. */
export function thresholdRuleText(rule: ThresholdRule): string {
  const m = 'm_r being the lowest H̃ after t_mem up to t_grok';
  if (rule.kind === 'max') return `H̃* = the largest per-run minimum m_r, ${m}`;
  if (rule.kind === 'quantile') return `H̃* = the ${rule.q}-quantile (type 7) of the per-run minima m_r, ${m}`;
  return `H̃* fixed at ${rule.value}`;
}

/** Each claim's decision rule in words, for the given parameters. */
export function claimRules(p: RuleParameters = DEFAULT_RULE_PARAMETERS): Readonly<Record<ClaimId, string>> {
  const t = VERDICT_THRESHOLDS;
  const h = thresholdRuleText(p.threshold);
  const crossing = (who: string) =>
    `Over the grokked finished ${who} runs: ${h}. Each run is scored leave-one-run-out, against H̃* from the other runs: it crossed if H̃ ≤ H̃* at an evaluation after t_mem and no later than t_grok, with lead t_grok − t_cross. ` +
    `Reproduced if the leave-one-run-out crossing share ≥ ${t.crossing.reproduced} and the mean leave-one-run-out lead > 0; contradicted if that share < ${t.crossing.contradicted}; otherwise not reproduced; inconclusive with fewer than ${p.minN} grokked runs. Censored runs are counted and reported, never scored as crossing.`;
  const delay = (a: string, b: string) =>
    `Delay = mean t_grok(${a}) − mean t_grok(${b}) over grokked finished runs, two-sided Welch t-test; ${CENSORED_RUNS_RULE}. ` +
    `Reproduced if delay > 0 and Welch p < ${p.alpha}; contradicted if delay < 0 and Welch p < ${p.alpha}; otherwise not reproduced; inconclusive with fewer than ${p.minN} grokked runs in either group or when Welch is undefined (t_grok constant in both). The rank check is reported, and a disagreement with Welch noted, but does not set the verdict.`;
  return Object.freeze({
    C1:
      `Over the finished baseline runs (censored ones included, their window being the whole run) that have both a weight-norm peak (largest ${METRIC_TAGS.normWeights} up to t_grok) and an entropy-collapse onset (H̃ down 10% of its pre-collapse range): share = the fraction whose norm peak comes before the onset. ` +
      `Reproduced if share ≥ ${t.twoPhases.reproduced}; contradicted if share ≤ ${t.twoPhases.contradicted}; otherwise not reproduced; inconclusive with fewer than ${p.minN} such runs. The norm-matched runs' mean delay against the baseline is reported, not used in the verdict.`,
    C2: crossing('baseline'),
    C3: delay('intervention', 'baseline') + " A second intervention variant is reported beside it; the verdict is the main intervention's.",
    C4: delay('intervention', 'norm-matched') + ' The norm-matched delay against the baseline is reported, not used in the verdict.',
    C5:
      `Over the grokked finished baseline runs: fit ΔT = C1·(H̃ − H̃*)^γ + C2 in-sample, ${h}; then leave-one-run-out: H̃* and the law from the other runs, the held-out run's mean |t̂_grok − t_grok| / t_grok (MAPE) and mean lead over its forecast steps, averaged over runs. ` +
      `Reproduced if the leave-one-run-out MAPE ≤ ${t.forecast.maxMape} and R² ≥ ${t.forecast.minR2}; contradicted if R² < ${t.forecast.contradictedR2} or that MAPE > ${t.forecast.contradictedMape}; otherwise not reproduced; inconclusive with fewer than ${p.minN} grokked runs or when no law can be fitted.`,
    C6: `The C2 rule applied to the non-abelian runs. ${crossing('non-abelian')} Their H̃* is reported beside the abelian baseline's in-sample H̃* with the shift (non-abelian − abelian), not used in the verdict.`,
    C7:
      `A run collapsed when its lowest H̃ after t_mem (up to t_grok if it grokked, to its end otherwise) is ≤ the abelian baseline's in-sample H̃* (${h}); a run that never memorised did not collapse. Over the finished MLP runs: ` +
      `contradicted if any grokked without collapsing (collapse then is not necessary); reproduced if at least one collapsed without grokking and none grokked without collapsing; otherwise inconclusive; inconclusive also with fewer than ${t.mlpMinRuns} finished MLP runs or without an abelian H̃*.`,
    C8:
      `Over the finished baseline runs with ${METRIC_TAGS.fourierAlignment} records: per run, the Spearman correlation (average ranks for ties) between ${METRIC_TAGS.fourierAlignment} and H̃ across the evaluations carrying both (undefined with fewer than ${t.alignmentMinEvaluations} such evaluations or a constant series; such runs are counted, not used). ` +
      `Reproduced if the mean correlation ≤ ${t.alignment.maxMeanRho} and at least ${100 * t.alignment.negativeShare}% of runs correlate negatively; contradicted if the mean correlation ≥ +${t.alignment.contradictedMeanRho}; otherwise not reproduced; inconclusive with fewer than ${p.minN} runs with a correlation.`,
  });
}

/** The rules at the default parameters (alpha 0.05, 5 runs per group, H̃* = max of the minima). */
export const CLAIM_RULES = claimRules();

const tooFew = (have: string, need: number | string): Decision => ({ verdict: 'inconclusive', why: `${have}; the rule needs at least ${need}` });

/** C1: k of n runs had the norm peak before the collapse onset. */
export function decideTwoPhases(k: number, n: number, minN: number): Decision {
  const t = VERDICT_THRESHOLDS.twoPhases;
  if (n < minN) return tooFew(`only ${n} finished baseline runs have both a norm peak and a collapse onset`, minN);
  const s = k / n;
  const what = `share ${share(k, n)} of runs with the norm peak before the collapse onset`;
  if (s >= t.reproduced) return { verdict: 'reproduced', why: `${what} ≥ ${t.reproduced}` };
  if (s <= t.contradicted) return { verdict: 'contradicted', why: `${what} ≤ ${t.contradicted}` };
  return { verdict: 'not reproduced', why: `${what}, between ${t.contradicted} and ${t.reproduced}` };
}

/** C2, C6: `crossed` of `n` runs crossed the leave-one-run-out H̃* by t_grok, with mean lead `meanLead` (null: none crossed). */
export function decideCrossing(who: string, crossed: number, n: number, meanLead: number | null, minN: number): Decision {
  const t = VERDICT_THRESHOLDS.crossing;
  if (n < minN) return tooFew(`only ${n} grokked ${who} runs could be scored`, minN);
  const s = crossed / n;
  const what = `leave-one-run-out crossing share ${share(crossed, n)}`;
  const lead = `mean leave-one-run-out lead ${steps(meanLead)} steps`;
  if (s >= t.reproduced && meanLead !== null && meanLead > 0) return { verdict: 'reproduced', why: `${what} ≥ ${t.reproduced} and ${lead} > 0` };
  if (s < t.contradicted) return { verdict: 'contradicted', why: `${what} < ${t.contradicted}` };
  if (s >= t.reproduced) return { verdict: 'not reproduced', why: `${what} ≥ ${t.reproduced}, but ${lead}, not > 0 (H̃ reached H̃* only as test accuracy rose)` };
  return { verdict: 'not reproduced', why: `${what}, between ${t.contradicted} and ${t.reproduced}; ${lead}` };
}

export interface DelayInput {
  /** The later-expected group (e.g. intervention) and the one it is compared with. */
  readonly a: { readonly label: string; readonly grokked: number };
  readonly b: { readonly label: string; readonly grokked: number };
  /** mean t_grok(a) − mean t_grok(b); null without grokked runs in a group. */
  readonly delay: number | null;
  /** Welch p; null when Welch cannot be had (fewer than 2 per group), NaN when undefined. */
  readonly p: number | null;
}

/** C3, C4: the Welch decision on grokked runs. */
export function decideDelay(x: DelayInput, minN: number, alpha: number): Decision {
  const { a, b } = x;
  if (a.grokked < minN || b.grokked < minN) return tooFew(`${a.grokked} grokked ${a.label} and ${b.grokked} grokked ${b.label} runs`, `${minN} per group`);
  if (x.p === null || !Number.isFinite(x.p) || x.delay === null) {
    return { verdict: 'inconclusive', why: 'Welch is undefined: t_grok does not vary within either group' };
  }
  const what = `delay ${steps(x.delay, true)} steps (${a.label} − ${b.label}), Welch p = ${pValue(x.p)}`;
  if (x.p < alpha && x.delay > 0) return { verdict: 'reproduced', why: `${what} < ${alpha}, delay > 0` };
  if (x.p < alpha && x.delay < 0) return { verdict: 'contradicted', why: `${what} < ${alpha}, delay < 0` };
  return { verdict: 'not reproduced', why: x.p < alpha ? `${what}, but the delay is 0` : `${what} ≥ ${alpha}` };
}

/** C5: in-sample R² and leave-one-run-out MAPE over `n` grokked runs (null: no fit / nothing scored). */
export function decideForecast(r2: number | null, mape: number | null, n: number, minN: number): Decision {
  const t = VERDICT_THRESHOLDS.forecast;
  if (n < minN) return tooFew(`only ${n} grokked baseline runs`, minN);
  if (r2 === null || mape === null || !Number.isFinite(r2))
    return { verdict: 'inconclusive', why: 'no power law could be fitted or scored (fewer than 4 observations with H̃ > H̃* before t_grok)' };
  const what = `R² = ${num(r2)}, leave-one-run-out MAPE = ${num(mape)}`;
  if (mape <= t.maxMape && r2 >= t.minR2) return { verdict: 'reproduced', why: `${what}: MAPE ≤ ${t.maxMape} and R² ≥ ${t.minR2}` };
  if (r2 < t.contradictedR2 || mape > t.contradictedMape) {
    const which = [r2 < t.contradictedR2 ? `R² < ${t.contradictedR2}` : null, mape > t.contradictedMape ? `MAPE > ${t.contradictedMape}` : null]
      .filter((s) => s !== null)
      .join(' and ');
    return { verdict: 'contradicted', why: `${what}: ${which}` };
  }
  return { verdict: 'not reproduced', why: `${what}: neither MAPE ≤ ${t.maxMape} with R² ≥ ${t.minR2}, nor R² < ${t.contradictedR2} or MAPE > ${t.contradictedMape}` };
}

export interface MlpCounts {
  readonly collapsedNotGrokked: number;
  readonly collapsedGrokked: number;
  readonly notCollapsedGrokked: number;
  readonly neither: number;
}

/** C7: `finished` MLP runs sorted by collapse and grokking; `threshold` the abelian H̃* (null: none). */
export function decideMlp(c: MlpCounts, finished: number, threshold: number | null): Decision {
  const need = VERDICT_THRESHOLDS.mlpMinRuns;
  if (finished < need) return tooFew(`only ${finished} finished MLP runs`, need);
  if (threshold === null) return { verdict: 'inconclusive', why: 'there is no abelian H̃* to judge collapse by (no grokked baseline run yields a minimum)' };
  const counts = `${c.collapsedNotGrokked} collapsed without grokking, ${c.collapsedGrokked} collapsed and grokked, ${c.notCollapsedGrokked} grokked without collapse, ${c.neither} neither (H̃* = ${num(threshold)})`;
  if (c.notCollapsedGrokked > 0) return { verdict: 'contradicted', why: `contradicted: ${c.notCollapsedGrokked} MLP runs grokked without collapse; ${counts}` };
  if (c.collapsedNotGrokked > 0) return { verdict: 'reproduced', why: `${c.collapsedNotGrokked} MLP runs collapsed without grokking and none grokked without collapse; ${counts}` };
  return { verdict: 'inconclusive', why: `no MLP run collapsed without grokking, and none grokked without collapse; ${counts}` };
}

/** C8: mean within-run Spearman correlation over `n` runs, `negative` of them below 0. */
export function decideAlignment(meanRho: number | null, negative: number, n: number, minN: number): Decision {
  const t = VERDICT_THRESHOLDS.alignment;
  if (n < minN || meanRho === null) return tooFew(`only ${n} finished baseline runs have a correlation between ${METRIC_TAGS.fourierAlignment} and H̃`, minN);
  const what = `mean Spearman ρ = ${num(meanRho)}, negative in ${share(negative, n)} runs`;
  if (meanRho <= t.maxMeanRho && negative / n >= t.negativeShare) return { verdict: 'reproduced', why: `${what}: mean ≤ ${t.maxMeanRho} and share ≥ ${t.negativeShare}` };
  if (meanRho >= t.contradictedMeanRho) return { verdict: 'contradicted', why: `${what}: mean ≥ +${t.contradictedMeanRho}` };
  return { verdict: 'not reproduced', why: `${what}: not (mean ≤ ${t.maxMeanRho} with share ≥ ${t.negativeShare}), nor mean ≥ +${t.contradictedMeanRho}` };
}
