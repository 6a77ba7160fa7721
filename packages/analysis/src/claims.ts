import { bootstrapMeanDiffCI, type BootstrapOptions, DEFAULT_CI_LEVEL } from './bootstrapMeanDiffCI';
import { num, pValue, share, steps } from './claimNumbers';
import { cohensD } from './cohensD';
import { mean } from './describe';
import { type EventOptions, runEvents, type RunEvents } from './events';
import { METRIC_TAGS } from '@grokscope/base';
import { analyzeForecast } from './forecast';
import { formatPowerLaw } from './powerLaw';
import { mannWhitneyU } from './mannWhitneyU';
import type { RunData } from './runReader';
import { dedupeRuns, runState } from './runSet';
import { spearman } from './spearman';
import { analyzeThreshold, type ThresholdAnalysis, type ThresholdRule } from './threshold';
import { twoPhases } from './twoPhases';
import {
  type ClaimId,
  claimRules,
  type Decision,
  decideAlignment,
  decideCrossing,
  decideDelay,
  decideForecast,
  decideMlp,
  decideTwoPhases,
  DEFAULT_RULE_PARAMETERS,
  type MlpCounts,
  type RuleParameters,
  type Verdict,
  VERDICT_THRESHOLDS,
} from './verdictRules';
import { welchTTest } from './welchTTest';

export type { ClaimId, Verdict } from './verdictRules';

/** Which conditions of a study play which part (a study file declares it). */
export interface StudyRoles {
  /** Abelian Transformer baselines (e.g. ['baseline', 'baseline-sub']); C3 compares with the one named `baseline`, else the first. */
  readonly baseline: readonly string[];
  /** Collapse-blocking intervention (entropy-floor). */
  readonly intervention?: string;
  /** Its second variant (mixing): reported beside it in C3. */
  readonly intervention2?: string;
  /** Follows the intervention run's weight norm. */
  readonly normMatched?: string;
  /** MLP control. */
  readonly mlp?: string;
  /** Non-abelian group (S4, S5, dihedral). */
  readonly nonAbelian?: string;
}

export interface ClaimRow {
  readonly id: ClaimId;
  /** One line: the paper's claim. */
  readonly claim: string;
  /** The paper's figure (docs/science.md § Claims). */
  readonly paper: string;
  /** Our figure in one line, with n (and censored and unfinished counts where relevant). */
  readonly ours: string;
  /** Runs that entered the decision. */
  readonly n: number;
  /** Censored runs (finished, never grokked) among the claim's finished runs. */
  readonly censored: number;
  /** The numbers behind `ours`, machine-readable (null: could not be had). */
  readonly statistics: Readonly<Record<string, number | null>>;
  readonly verdict: Verdict;
  /** The decision rule in words (fixed in code, see verdictRules.ts). */
  readonly rule: string;
  /** Which branch of the rule fired, with the numbers. */
  readonly why: string;
}

export interface ClaimOptions extends EventOptions {
  /** How H̃* comes from the per-run minima (default: their max). */
  readonly threshold?: ThresholdRule;
  /** The step a censored run counts at in the rank checks (default: each run's own last step, summary.steps or its last record). */
  readonly stepCap?: number;
  /** Significance level of the Welch tests (default 0.05). */
  readonly alpha?: number;
  /** Grokked runs needed per group (default 5; C7 needs 3 finished MLP runs). */
  readonly minN?: number;
  /** Bootstrap of the mean-difference CI (default 10,000 resamples, seed 0, level 0.95). */
  readonly bootstrap?: BootstrapOptions;
}

/** The paper's claims and figures, as the paper states them (docs/science.md § Claims). */
export const CLAIMS: Readonly<Record<ClaimId, { readonly claim: string; readonly paper: string }>> = Object.freeze({
  C1: { claim: 'Two phases: weight-norm expansion first, then entropy collapse; norm growth alone does not generalise', paper: 'qualitative' },
  C2: {
    claim: 'H̃ falls below a stable threshold H̃* before test accuracy rises, in every run',
    paper: 'H̃* ≈ 0.61, 100% of runs (3 modular tasks × 10 seeds), mean lead 1,020 steps',
  },
  C3: { claim: 'An intervention that keeps H̃ from collapsing delays grokking', paper: "+5,020 steps, p = 0.044, Cohen's d = 0.70" },
  C4: { claim: 'A norm-matched control shows entropy, not weight norm, drives it', paper: 'n = 30 seeds, p = 5e-5, d = 1.55' },
  C5: { claim: 'A power law forecasts the time left before grokking', paper: 'ΔT = C1·(H̃ − H̃*)^γ + C2, R² = 0.543, γ ≈ 1.65, mean forecast error 4.1%, mean lead 12,370 steps' },
  C6: { claim: 'The same holds on a non-abelian group', paper: 'S5 composition (120 classes), with a shifted H̃*' },
  C7: { claim: 'MLPs collapse without grokking: collapse is necessary, not sufficient', paper: 'qualitative' },
  C8: { claim: '(v2) Entropy collapse is coupled to Fourier-aligned representations on cyclic groups', paper: 'qualitative' },
});

const ALIGNMENT_TAG = METRIC_TAGS.fourierAlignment;

interface Member {
  readonly run: RunData;
  readonly ev: RunEvents;
  /** Where the run counts in a rank check if censored. */
  readonly cap: number;
}

/** The runs of one role: finished ones split into grokked and censored; unfinished ones only counted. */
interface Group {
  /** The role in words: "baseline", "intervention", "norm-matched", … */
  readonly label: string;
  /** The role's prefix in `statistics` keys: baseline, intervention, normMatched, … */
  readonly prefix: string;
  readonly conditions: readonly string[];
  /** Every run of the role's conditions, finished or not. */
  readonly total: number;
  readonly finished: readonly Member[];
  readonly grokked: readonly Member[];
  readonly censored: readonly Member[];
  readonly unfinished: number;
}

type Stats = Record<string, number | null>;

/**
 * The claims table: one row per claim C1–C8, each with a verdict from the rule fixed in
 * verdictRules.ts. Only finished runs (summary status completed or stopped) enter a statistic;
 * unfinished ones are counted in `ours` and `statistics`. A finished run that never grokked is
 * censored: counted, never dropped silently, never counted as grokking. Each run counts once
 * (the same directory or a copy given twice, as dedupeRuns finds; analyzeRuns lists them).
 */
export function evaluateClaims(input: readonly RunData[], roles: StudyRoles, o: ClaimOptions = {}): ClaimRow[] {
  const params: RuleParameters = {
    alpha: o.alpha ?? DEFAULT_RULE_PARAMETERS.alpha,
    minN: o.minN ?? DEFAULT_RULE_PARAMETERS.minN,
    threshold: o.threshold ?? DEFAULT_RULE_PARAMETERS.threshold,
  };
  const rules = claimRules(params);
  const { runs } = dedupeRuns(input);
  const group = (label: string, prefix: string, conditions: readonly (string | undefined)[]): Group => {
    const named = conditions.filter((c): c is string => typeof c === 'string' && c !== '');
    const all = runs.filter((r) => named.includes(r.condition));
    const finished = all.flatMap((run): Member[] => {
      const state = runState(run);
      return state.finished ? [{ run, ev: runEvents(run.records, o), cap: o.stepCap ?? state.stepReached }] : [];
    });
    return {
      label,
      prefix,
      conditions: named,
      total: all.length,
      finished,
      grokked: finished.filter((m) => !m.ev.censored),
      censored: finished.filter((m) => m.ev.censored),
      unfinished: all.length - finished.length,
    };
  };
  const mainBaseline = roles.baseline.includes('baseline') ? 'baseline' : roles.baseline[0];
  const g = {
    baseline: group('baseline', 'baseline', roles.baseline),
    mainBaseline: group('baseline', 'baseline', [mainBaseline]),
    intervention: group('intervention', 'intervention', [roles.intervention]),
    intervention2: group('intervention2', 'intervention2', [roles.intervention2]),
    normMatched: group('norm-matched', 'normMatched', [roles.normMatched]),
    mlp: group('MLP', 'mlp', [roles.mlp]),
    nonAbelian: group('non-abelian', 'nonAbelian', [roles.nonAbelian]),
  };
  const row = (id: ClaimId, ours: string, n: number, censored: number, statistics: Stats, d: Decision): ClaimRow => ({
    id,
    claim: CLAIMS[id].claim,
    paper: CLAIMS[id].paper,
    ours,
    n,
    censored,
    statistics: Object.freeze(statistics),
    verdict: d.verdict,
    rule: rules[id],
    why: d.why,
  });
  const absentRow = (id: ClaimId, who: Group): ClaimRow | null => {
    if (who.total === 0)
      return row(id, `no ${who.label} runs (n = 0)`, 0, 0, { [key(who.prefix, 'unfinished')]: 0 }, { verdict: 'inconclusive', why: `the study has no ${who.label} runs` });
    if (who.finished.length === 0) {
      return row(
        id,
        `no finished ${who.label} runs (n = 0; ${who.unfinished} unfinished, not used)`,
        0,
        0,
        { [key(who.prefix, 'unfinished')]: who.unfinished },
        {
          verdict: 'inconclusive',
          why: `none of the study's ${who.total} ${who.label} runs has finished (${who.unfinished} unfinished)`,
        },
      );
    }
    return null;
  };
  const thresholdOf = (who: Group) =>
    analyzeThreshold(
      who.finished.map((m) => ({ name: m.run.name, records: m.run.records })),
      params.threshold,
      o,
    );
  const abelian = thresholdOf(g.baseline);

  // C1: two phases.
  const c1 = (): ClaimRow => {
    const absent = absentRow('C1', g.baseline);
    if (absent) return absent;
    const base = g.baseline;
    const phases = base.finished.map((m) => twoPhases(m.run.records, o));
    const decided = phases.filter((p) => p.normFirst !== null);
    const k = decided.filter((p) => p.normFirst === true).length;
    const nm = g.normMatched;
    const nmDelay = nm.grokked.length && g.mainBaseline.grokked.length ? mean(tGrok(nm.grokked)) - mean(tGrok(g.mainBaseline.grokked)) : null;
    const stats: Stats = {
      share: decided.length ? k / decided.length : null,
      normFirst: k,
      withBothEvents: decided.length,
      withoutBothEvents: base.finished.length - decided.length,
      ...groupStats(base.prefix, base),
      normMatchedDelay: nmDelay,
      ...(nm.total ? groupStats('normMatched', nm) : {}),
    };
    const nmText =
      nm.total === 0
        ? ''
        : `; norm-matched runs grokked ${nmDelay === null ? '(no delay: a group has no grokked run)' : `${steps(nmDelay, true)} steps`} against ${mainBaseline} on average (norm-matched: ${tally(nm)})`;
    const ours = `norm peak before collapse onset in ${share(k, decided.length)} runs (n = ${decided.length} with both events; baseline: ${tally(base)})${nmText}`;
    return row('C1', ours, decided.length, base.censored.length, stats, decideTwoPhases(k, decided.length, params.minN));
  };

  // C2 and C6: H̃* and the leave-one-run-out crossing.
  const crossingRow = (id: 'C2' | 'C6', who: Group, a: ThresholdAnalysis, extra: Stats, extraText: string): ClaimRow => {
    const absent = absentRow(id, who);
    if (absent) return absent;
    const n = a.leaveOneOut.length;
    const crossed = a.leaveOneOut.filter((c) => c.crossedBeforeGrok).length;
    const looLead = a.lead.leaveOneOut?.mean ?? null;
    const unscored = who.grokked.length - n;
    const stats: Stats = {
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
    const ours =
      `H̃* = ${num(a.threshold)}${extraText}; ${minima}; leave-one-run-out crossing ${share(crossed, n)}, mean lead ${steps(looLead)} steps ` +
      `(n = ${n} grokked runs scored${unscored ? `, ${unscored} grokked without H̃ between t_mem and t_grok not scored` : ''}; ${tally(who)})`;
    return row(id, ours, n, who.censored.length, stats, decideCrossing(who.label, crossed, n, looLead, params.minN));
  };

  // C3 and C4: t_grok delays.
  const delayRow = (id: 'C3' | 'C4', a: Group, b: Group, bName: string, extra: { stats: Stats; text: string }): ClaimRow => {
    const absent = absentRow(id, a) ?? absentRow(id, b);
    if (absent) return absent;
    const c = compare(a, b, o.bootstrap);
    const d = decideDelay(
      { a: { label: a.label, grokked: a.grokked.length }, b: { label: b.label, grokked: b.grokked.length }, delay: c.delay, p: c.welch?.p ?? null },
      params.minN,
      params.alpha,
    );
    const note = rankNote(c, d, a.label, params.alpha);
    const stats: Stats = { ...comparisonStats('', c), ...groupStats(a.prefix, a), ...groupStats(b.prefix, b), stepCap: o.stepCap ?? null, ...extra.stats };
    const ours = `${a.label} (${a.conditions.join(', ')}) − ${bName}: ${comparisonText(c, o.bootstrap?.level ?? DEFAULT_CI_LEVEL)} (n = ${a.grokked.length} + ${b.grokked.length} grokked; ${a.label}: ${tally(a)}; ${b.label}: ${tally(b)})${extra.text}`;
    return row(id, ours, a.grokked.length + b.grokked.length, a.censored.length + b.censored.length, stats, note ? { verdict: d.verdict, why: `${d.why}; ${note}` } : d);
  };

  const c3 = (): ClaimRow => {
    const i2 = g.intervention2;
    let extra = { stats: {} as Stats, text: '' };
    if (i2.total > 0 && g.mainBaseline.finished.length > 0 && i2.finished.length > 0) {
      const c = compare(i2, g.mainBaseline, o.bootstrap);
      extra = {
        stats: { ...comparisonStats('intervention2', c), ...groupStats('intervention2', i2) },
        text: `; intervention2 (${i2.conditions.join(', ')}): ${comparisonText(c, o.bootstrap?.level ?? DEFAULT_CI_LEVEL)} (${tally(i2)})`,
      };
    } else if (i2.total > 0) {
      extra = { stats: groupStats('intervention2', i2), text: `; intervention2 (${i2.conditions.join(', ')}): no comparison (${tally(i2)})` };
    }
    return delayRow('C3', g.intervention, g.mainBaseline, mainBaseline ?? 'baseline', extra);
  };

  const c4 = (): ClaimRow => {
    const nm = g.normMatched;
    let extra = { stats: {} as Stats, text: '' };
    if (nm.finished.length > 0 && g.mainBaseline.finished.length > 0) {
      const c = compare(nm, g.mainBaseline, o.bootstrap);
      extra = {
        stats: { ...comparisonStats('normMatchedVsBaseline', c), ...groupStats('baseline', g.mainBaseline) },
        text: `; norm-matched − ${mainBaseline}: ${comparisonText(c, o.bootstrap?.level ?? DEFAULT_CI_LEVEL)} (baseline: ${tally(g.mainBaseline)})`,
      };
    }
    return delayRow('C4', g.intervention, nm, 'norm-matched', extra);
  };

  // C5: the power law.
  const c5 = (): ClaimRow => {
    const absent = absentRow('C5', g.baseline);
    if (absent) return absent;
    const base = g.baseline;
    const f = analyzeForecast(
      base.finished.map((m) => ({ name: m.run.name, records: m.run.records })),
      o,
      params.threshold,
    );
    const n = f.leaveOneOut.length;
    const scored = f.leaveOneOut.filter((s) => s.mape !== null).length;
    const stats: Stats = {
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
    const law = f.fit ? `${formatPowerLaw(f.fit, f.threshold)}, R² = ${num(f.fit.r2)} (${f.observations} observations)` : 'no fit';
    const ours = `${law}; leave-one-run-out MAPE ${f.mape === null ? '–' : `${num(100 * f.mape, 1)}%`}, mean lead ${steps(f.meanLead)} steps (${scored} of ${n} runs scored; n = ${n} grokked; baseline: ${tally(base)})`;
    return row('C5', ours, n, base.censored.length, stats, decideForecast(f.fit?.r2 ?? null, f.mape, n, params.minN));
  };

  const c6 = (): ClaimRow => {
    const a = thresholdOf(g.nonAbelian);
    const shift = a.threshold !== null && abelian.threshold !== null ? a.threshold - abelian.threshold : null;
    return crossingRow(
      'C6',
      g.nonAbelian,
      a,
      { abelianThreshold: abelian.threshold, shift },
      ` (abelian ${num(abelian.threshold)}, shift ${shift === null ? '–' : `${shift >= 0 ? '+' : ''}${num(shift)}`})`,
    );
  };

  // C7: MLPs collapse without grokking.
  const c7 = (): ClaimRow => {
    const absent = absentRow('C7', g.mlp);
    if (absent) return absent;
    const h = abelian.threshold;
    const tag = o.entropyTag ?? METRIC_TAGS.entropyHn;
    const lows = g.mlp.finished.map((m) => ({ grokked: !m.ev.censored, low: lowestAfterMemorising(m, tag) }));
    const collapsed = (x: { low: number | null }) => h !== null && x.low !== null && x.low <= h;
    const c: MlpCounts = {
      collapsedNotGrokked: lows.filter((x) => collapsed(x) && !x.grokked).length,
      collapsedGrokked: lows.filter((x) => collapsed(x) && x.grokked).length,
      notCollapsedGrokked: lows.filter((x) => !collapsed(x) && x.grokked).length,
      neither: lows.filter((x) => !collapsed(x) && !x.grokked).length,
    };
    const n = g.mlp.finished.length;
    const stats: Stats = { threshold: h, ...c, ...groupStats('mlp', g.mlp) };
    const ours =
      `of ${n} finished MLP runs: ${c.collapsedNotGrokked} collapsed without grokking, ${c.collapsedGrokked} collapsed and grokked, ${c.notCollapsedGrokked} grokked without collapse, ${c.neither} neither ` +
      `(collapse: lowest H̃ after t_mem ≤ abelian H̃* = ${num(h)}; n = ${n}: ${tally(g.mlp)})`;
    return row('C7', ours, n, g.mlp.censored.length, stats, decideMlp(c, n, h));
  };

  // C8: Fourier alignment against H̃.
  const c8 = (): ClaimRow => {
    const absent = absentRow('C8', g.baseline);
    if (absent) return absent;
    const tag = o.entropyTag ?? METRIC_TAGS.entropyHn;
    const base = g.baseline;
    const withAlignment = base.finished.filter((m) => m.run.records.some((r) => typeof r.metrics[ALIGNMENT_TAG] === 'number'));
    const rhos = withAlignment.map((m) => {
      const both = m.run.records.filter((r) => typeof r.metrics[ALIGNMENT_TAG] === 'number' && typeof r.metrics[tag] === 'number');
      const rho =
        both.length < VERDICT_THRESHOLDS.alignmentMinEvaluations
          ? null
          : spearman(
              both.map((r) => r.metrics[ALIGNMENT_TAG]!),
              both.map((r) => r.metrics[tag]!),
            );
      return { m, rho };
    });
    const used = rhos.filter((x) => x.rho !== null);
    const n = used.length;
    const meanRho = n ? mean(used.map((x) => x.rho!)) : null;
    const negative = used.filter((x) => x.rho! < 0).length;
    const censored = used.filter((x) => x.m.ev.censored).length;
    const stats: Stats = {
      meanRho,
      negative,
      negativeShare: n ? negative / n : null,
      minRho: n ? Math.min(...used.map((x) => x.rho!)) : null,
      maxRho: n ? Math.max(...used.map((x) => x.rho!)) : null,
      withCorrelation: n,
      withoutAlignment: base.finished.length - withAlignment.length,
      undefinedCorrelation: withAlignment.length - n,
      ...groupStats('baseline', base),
    };
    const ours =
      `mean Spearman ρ(alignment, H̃) = ${num(meanRho)}, negative in ${share(negative, n)} runs (n = ${n} runs with a correlation, ${censored} of them censored; ` +
      `${base.finished.length - withAlignment.length} finished without alignment, ${withAlignment.length - n} with too few evaluations or a constant series; baseline: ${tally(base)})`;
    return row('C8', ours, n, censored, stats, decideAlignment(meanRho, negative, n, params.minN));
  };

  return [c1(), crossingRow('C2', g.baseline, abelian, {}, ''), c3(), c4(), c5(), c6(), c7(), c8()];
}

const tGrok = (ms: readonly Member[]) => ms.map((m) => m.ev.tGrok!);

/** A statistics key: key('normMatched', 'grokked') = 'normMatchedGrokked'; key('', 'delay') = 'delay'. */
function key(prefix: string, name: string): string {
  return prefix === '' ? name : prefix + name[0]!.toUpperCase() + name.slice(1);
}

function groupStats(prefix: string, who: Group): Stats {
  return {
    [key(prefix, 'finished')]: who.finished.length,
    [key(prefix, 'grokked')]: who.grokked.length,
    [key(prefix, 'censored')]: who.censored.length,
    [key(prefix, 'unfinished')]: who.unfinished,
    [key(prefix, 'meanTGrok')]: who.grokked.length ? mean(tGrok(who.grokked)) : null,
  };
}

/** "5 grokked, 1 censored, 2 unfinished (not used)" */
function tally(who: Group): string {
  return `${who.grokked.length} grokked, ${who.censored.length} censored, ${who.unfinished} unfinished (not used)`;
}

interface Comparison {
  /** mean t_grok(a) − mean t_grok(b) over grokked runs. */
  readonly delay: number | null;
  readonly welch: { t: number; df: number; p: number } | null;
  readonly d: number | null;
  readonly ci: { low: number; high: number } | null;
  /** Mann–Whitney U over every finished run, censored ones at their cap. */
  readonly rank: { U: number; p: number; nA: number; nB: number } | null;
}

function compare(a: Group, b: Group, bootstrap: BootstrapOptions = {}): Comparison {
  const ta = tGrok(a.grokked);
  const tb = tGrok(b.grokked);
  const some = ta.length > 0 && tb.length > 0;
  const welch = ta.length >= 2 && tb.length >= 2 ? welchTTest(ta, tb) : null;
  const d = welch !== null && Number.isFinite(welch.t) ? cohensD(ta, tb) : null;
  const ra = a.finished.map((m) => m.ev.tGrok ?? m.cap);
  const rb = b.finished.map((m) => m.ev.tGrok ?? m.cap);
  return {
    delay: some ? mean(ta) - mean(tb) : null,
    welch,
    d: d !== null && Number.isFinite(d) ? d : null,
    ci: some ? bootstrapMeanDiffCI(ta, tb, { resamples: bootstrap.resamples ?? 10000, seed: bootstrap.seed ?? 0, level: bootstrap.level ?? DEFAULT_CI_LEVEL }) : null,
    rank: ra.length && rb.length ? { ...mannWhitneyU(ra, rb), nA: ra.length, nB: rb.length } : null,
  };
}

function comparisonStats(prefix: string, c: Comparison): Stats {
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

function comparisonText(c: Comparison, level: number): string {
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
  if (d.verdict === 'inconclusive' || welchP === undefined || !Number.isFinite(welchP) || c.delay === null) {
    return `the rank check (every censored run at its step cap, n = ${c.rank.nA} + ${c.rank.nB}) gives ${seen}`;
  }
  const welchSig = welchP < alpha && c.delay !== 0;
  const rankSig = c.rank.p < alpha && dir !== 0;
  const disagree = welchSig !== rankSig || (welchSig && rankSig && Math.sign(c.delay) !== dir);
  return disagree ? `the rank check (every censored run at its step cap, n = ${c.rank.nA} + ${c.rank.nB}) disagrees with Welch: ${seen}` : null;
}

/** The lowest H̃ after t_mem, up to t_grok for a grokked run, to the end otherwise; null if it never memorised or has no H̃ there. */
function lowestAfterMemorising(m: Member, tag: string): number | null {
  const { tMem, tGrok: tg } = m.ev;
  if (tMem === null) return null;
  const hs = m.run.records.filter((r) => r.step > tMem && (tg === null || r.step <= tg) && typeof r.metrics[tag] === 'number').map((r) => r.metrics[tag]!);
  return hs.length ? Math.min(...hs) : null;
}

const oneLine = (s: string) => s.replace(/\r?\n/g, ' ');
const cell = (s: string) => oneLine(s).replace(/\|/g, '\\|');

/** The claims table in Markdown: claim | paper | ours | verdict, then each row's rule and why as a numbered list. */
export function renderClaimsMarkdown(rows: readonly ClaimRow[]): string {
  const out = ['| claim | paper | ours | verdict |', '|---|---|---|---|'];
  for (const r of rows) out.push(`| ${cell(`${r.id}: ${r.claim}`)} | ${cell(r.paper)} | ${cell(r.ours)} | ${cell(r.verdict)} |`);
  out.push('');
  rows.forEach((r, i) => out.push(`${i + 1}. **${r.id} — ${r.verdict}.** Rule: ${oneLine(r.rule)} Why: ${oneLine(r.why)}.`));
  return out.join('\n') + '\n';
}
