import { METRIC_TAGS } from '@grokscope/base';
import { share, steps } from '../claimNumbers';
import { mean } from '../describe';
import { twoPhases } from '../twoPhases';
import { type Decision, tooFew } from '../verdictRules';
import type { ClaimModule, Stats } from './claimModule';
import { absentRole, groupStats, tally, tGrok } from './groupTally';

/** The share of runs whose weight-norm peak precedes the collapse onset that reproduces, and at or below which C1 is contradicted. */
export const TWO_PHASES_CUTOFFS = Object.freeze({ reproduced: 0.8, contradicted: 0.2 });

/** k of n runs had the norm peak before the collapse onset. */
export function decideTwoPhases(k: number, n: number, minN: number): Decision {
  const t = TWO_PHASES_CUTOFFS;
  if (n < minN) return tooFew(`only ${n} finished baseline runs have both a norm peak and a collapse onset`, minN);
  const s = k / n;
  const what = `share ${share(k, n)} of runs with the norm peak before the collapse onset`;
  if (s >= t.reproduced) return { verdict: 'reproduced', why: `${what} ≥ ${t.reproduced}` };
  if (s <= t.contradicted) return { verdict: 'contradicted', why: `${what} ≤ ${t.contradicted}` };
  return { verdict: 'not reproduced', why: `${what}, between ${t.contradicted} and ${t.reproduced}` };
}

/** C1: weight-norm expansion first, then entropy collapse. */
export const C1: ClaimModule = {
  id: 'C1',
  claim: 'Two phases: weight-norm expansion first, then entropy collapse; norm growth alone does not generalise',
  paper: 'qualitative',
  rule: (p) =>
    `Over the finished baseline runs (censored ones included, their window being the whole run) that have both a weight-norm peak (largest ${METRIC_TAGS.normWeights} up to t_grok) and an entropy-collapse onset (H̃ down 10% of its pre-collapse range): share = the fraction whose norm peak comes before the onset. ` +
    `Reproduced if share ≥ ${TWO_PHASES_CUTOFFS.reproduced}; contradicted if share ≤ ${TWO_PHASES_CUTOFFS.contradicted}; otherwise not reproduced; inconclusive with fewer than ${p.minN} such runs. The norm-matched runs' mean delay against the baseline is reported, not used in the verdict.`,
  figures: ['two-phases'],
  evaluate(ctx) {
    const { baseline: base, normMatched: nm, mainBaseline } = ctx.groups;
    const absent = absentRole(base);
    if (absent) return absent;
    const phases = base.finished.map((m) => twoPhases(m.run.records, ctx.options));
    const decided = phases.filter((p) => p.normFirst !== null);
    const k = decided.filter((p) => p.normFirst === true).length;
    const nmDelay =
      nm.grokked.length && mainBaseline.grokked.length
        ? mean(tGrok(nm.grokked)) - mean(tGrok(mainBaseline.grokked))
        : null;
    const statistics: Stats = {
      share: decided.length ? k / decided.length : null,
      normFirst: k,
      withBothEvents: decided.length,
      withoutBothEvents: base.finished.length - decided.length,
      ...groupStats(base.prefix, base),
      normMatchedDelay: nmDelay,
      ...(nm.total ? groupStats('normMatched', nm) : {}),
    };
    const delay = nmDelay === null ? '(no delay: a group has no grokked run)' : `${steps(nmDelay, true)} steps`;
    const nmText =
      nm.total === 0
        ? ''
        : `; norm-matched runs grokked ${delay} against ${ctx.mainBaseline} on average (norm-matched: ${tally(nm)})`;
    const ours = `norm peak before collapse onset in ${share(k, decided.length)} runs (n = ${decided.length} with both events; baseline: ${tally(base)})${nmText}`;
    return {
      ours,
      n: decided.length,
      censored: base.censored.length,
      statistics,
      decision: decideTwoPhases(k, decided.length, ctx.params.minN),
    };
  },
};
