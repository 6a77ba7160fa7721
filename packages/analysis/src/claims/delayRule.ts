import { bootstrapMeanDiffCI, type BootstrapOptions, DEFAULT_CI_LEVEL } from '../bootstrapMeanDiffCI';
import { num, pValue, steps } from '../claimNumbers';
import { cohensD } from '../cohensD';
import { mean } from '../describe';
import { mannWhitneyU } from '../mannWhitneyU';
import { CENSORED_RUNS_RULE, type Decision, type RuleParameters, tooFew } from '../verdictRules';
import { welchTTest } from '../welchTTest';
import type { ClaimContext, ClaimOutcome, Group, Stats } from './claimModule';
import { absentRole, groupStats, key, tally, tGrok } from './groupTally';

/** The delay rule in words: mean t_grok of `a` against `b` (C3, C4). */
export function delayRule(a: string, b: string, p: RuleParameters): string {
  return (
    `Delay = mean t_grok(${a}) − mean t_grok(${b}) over grokked finished runs, two-sided Welch t-test; ${CENSORED_RUNS_RULE}. ` +
    `Reproduced if delay > 0 and Welch p < ${p.alpha}; contradicted if delay < 0 and Welch p < ${p.alpha}; otherwise not reproduced; inconclusive with fewer than ${p.minN} grokked runs in either group or when Welch is undefined (t_grok constant in both). The rank check is reported, and a disagreement with Welch noted, but does not set the verdict.`
  );
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

/** The Welch decision on grokked runs. */
export function decideDelay(x: DelayInput, minN: number, alpha: number): Decision {
  const { a, b } = x;
  if (a.grokked < minN || b.grokked < minN)
    return tooFew(`${a.grokked} grokked ${a.label} and ${b.grokked} grokked ${b.label} runs`, `${minN} per group`);
  if (x.p === null || !Number.isFinite(x.p) || x.delay === null) {
    return { verdict: 'inconclusive', why: 'Welch is undefined: t_grok does not vary within either group' };
  }
  const what = `delay ${steps(x.delay, true)} steps (${a.label} − ${b.label}), Welch p = ${pValue(x.p)}`;
  if (x.p < alpha && x.delay > 0) return { verdict: 'reproduced', why: `${what} < ${alpha}, delay > 0` };
  if (x.p < alpha && x.delay < 0) return { verdict: 'contradicted', why: `${what} < ${alpha}, delay < 0` };
  return { verdict: 'not reproduced', why: x.p < alpha ? `${what}, but the delay is 0` : `${what} ≥ ${alpha}` };
}

export interface Comparison {
  /** mean t_grok(a) − mean t_grok(b) over grokked runs. */
  readonly delay: number | null;
  readonly welch: { t: number; df: number; p: number } | null;
  readonly d: number | null;
  readonly ci: { low: number; high: number } | null;
  /** Mann–Whitney U over every finished run, censored ones at their cap. */
  readonly rank: { U: number; p: number; nA: number; nB: number } | null;
}

/** t_grok of `a` against `b`: Welch on grokked runs, Cohen's d, a bootstrap CI, and the rank check with censored runs at their cap. */
export function compare(a: Group, b: Group, bootstrap: BootstrapOptions = {}): Comparison {
  const ta = tGrok(a.grokked);
  const tb = tGrok(b.grokked);
  const some = ta.length > 0 && tb.length > 0;
  const welch = ta.length >= 2 && tb.length >= 2 ? welchTTest(ta, tb) : null;
  const d = welch !== null && Number.isFinite(welch.t) ? cohensD(ta, tb) : null;
  const ra = a.finished.map((m) => m.ev.tGrok ?? m.cap);
  const rb = b.finished.map((m) => m.ev.tGrok ?? m.cap);
  const resampling = {
    resamples: bootstrap.resamples ?? 10000,
    seed: bootstrap.seed ?? 0,
    level: bootstrap.level ?? DEFAULT_CI_LEVEL,
  };
  return {
    delay: some ? mean(ta) - mean(tb) : null,
    welch,
    d: d !== null && Number.isFinite(d) ? d : null,
    ci: some ? bootstrapMeanDiffCI(ta, tb, resampling) : null,
    rank: ra.length && rb.length ? { ...mannWhitneyU(ra, rb), nA: ra.length, nB: rb.length } : null,
  };
}

export function comparisonStats(prefix: string, c: Comparison): Stats {
  return {
    [key(prefix, 'delay')]: c.delay,
    [key(prefix, 'welchT')]: c.welch && Number.isFinite(c.welch.t) ? c.welch.t : null,
    [key(prefix, 'welchDf')]: c.welch && Number.isFinite(c.welch.df) ? c.welch.df : null,
    [key(prefix, 'welchP')]: c.welch && Number.isFinite(c.welch.p) ? c.welch.p : null,
    [key(prefix, 'cohensD')]: c.d,
    [key(prefix, 'ciLow')]: c.ci?.low ?? null,
    [key(prefix, 'ciHigh')]: c.ci?.high ?? null,
    [key(prefix, 'rankU')]: c.rank?.U ?? null,
    [key(prefix, 'rankP')]: c.rank?.p ?? null,
    [key(prefix, 'rankN')]: c.rank ? c.rank.nA + c.rank.nB : null,
  };
}

export function comparisonText(c: Comparison, level: number): string {
  const parts = [`delay ${steps(c.delay, true)} steps`];
  if (c.welch && Number.isFinite(c.welch.t)) parts.push(`Welch t = ${num(c.welch.t, 2)}, p = ${pValue(c.welch.p)}`);
  else parts.push('Welch –');
  parts.push(`d = ${num(c.d, 2)}`);
  if (c.ci) parts.push(`${Math.round(100 * level)}% CI [${steps(c.ci.low, true)}, ${steps(c.ci.high, true)}]`);
  if (c.rank) parts.push(`rank check, censored at their cap: p = ${pValue(c.rank.p)}`);
  return parts.join(', ');
}

/** -1, 0, +1: the direction the rank check sees (a later than b: +1). */
const rankDirection = (r: NonNullable<Comparison['rank']>) => Math.sign(r.U - (r.nA * r.nB) / 2);

/**
 * What `why` adds about the rank check: a disagreement with the Welch decision (one significant
 * and the other not, or both significant in opposite directions); when the Welch decision could
 * not be had, what the rank check alone shows.
 */
function rankNote(c: Comparison, d: Decision, label: string, alpha: number): string | null {
  if (!c.rank) return null;
  const dir = rankDirection(c.rank);
  const seen = `p = ${pValue(c.rank.p)}, ${dir > 0 ? `${label} later` : dir < 0 ? `${label} earlier` : 'no shift'}`;
  const welchP = c.welch?.p;
  const check = `the rank check (every censored run at its step cap, n = ${c.rank.nA} + ${c.rank.nB})`;
  if (d.verdict === 'inconclusive' || welchP === undefined || !Number.isFinite(welchP) || c.delay === null)
    return `${check} gives ${seen}`;
  const welchSig = welchP < alpha && c.delay !== 0;
  const rankSig = c.rank.p < alpha && dir !== 0;
  const disagree = welchSig !== rankSig || (welchSig && rankSig && Math.sign(c.delay) !== dir);
  return disagree ? `${check} disagrees with Welch: ${seen}` : null;
}

/** t_grok of `a` against `b` as a claim's outcome (C3, C4); `extra` adds a reported, non-deciding comparison. */
export function delayOutcome(
  ctx: ClaimContext,
  a: Group,
  b: Group,
  bName: string,
  extra: { stats: Stats; text: string },
): ClaimOutcome {
  const absent = absentRole(a) ?? absentRole(b);
  if (absent) return absent;
  const { options: o, params } = ctx;
  const c = compare(a, b, o.bootstrap);
  const decided = decideDelay(
    {
      a: { label: a.label, grokked: a.grokked.length },
      b: { label: b.label, grokked: b.grokked.length },
      delay: c.delay,
      p: c.welch?.p ?? null,
    },
    params.minN,
    params.alpha,
  );
  const note = rankNote(c, decided, a.label, params.alpha);
  const statistics: Stats = {
    ...comparisonStats('', c),
    ...groupStats(a.prefix, a),
    ...groupStats(b.prefix, b),
    stepCap: o.stepCap ?? null,
    ...extra.stats,
  };
  const counts = `n = ${a.grokked.length} + ${b.grokked.length} grokked; ${a.label}: ${tally(a)}; ${b.label}: ${tally(b)}`;
  const ours = `${a.label} (${a.conditions.join(', ')}) − ${bName}: ${comparisonText(c, o.bootstrap?.level ?? DEFAULT_CI_LEVEL)} (${counts})${extra.text}`;
  const decision = note ? { verdict: decided.verdict, why: `${decided.why}; ${note}` } : decided;
  return {
    ours,
    n: a.grokked.length + b.grokked.length,
    censored: a.censored.length + b.censored.length,
    statistics,
    decision,
  };
}
