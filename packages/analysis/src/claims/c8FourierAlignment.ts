import { METRIC_TAGS } from '@grokscope/base';
import { num, share } from '../claimNumbers';
import { mean } from '../describe';
import { spearman } from '../spearman';
import { type Decision, tooFew } from '../verdictRules';
import type { ClaimModule, Stats } from './claimModule';
import { absentRole, groupStats, tally } from './groupTally';

/** The mean within-run correlation and negative share that reproduce, the mean that contradicts, and the evaluations a run needs. */
export const ALIGNMENT_CUTOFFS = Object.freeze({ maxMeanRho: -0.5, negativeShare: 0.8, contradictedMeanRho: 0.5, minEvaluations: 3 });

const ALIGNMENT_TAG = METRIC_TAGS.fourierAlignment;

/** Mean within-run Spearman correlation over `n` runs, `negative` of them below 0. */
export function decideAlignment(meanRho: number | null, negative: number, n: number, minN: number): Decision {
  const t = ALIGNMENT_CUTOFFS;
  if (n < minN || meanRho === null) return tooFew(`only ${n} finished baseline runs have a correlation between ${ALIGNMENT_TAG} and H̃`, minN);
  const what = `mean Spearman ρ = ${num(meanRho)}, negative in ${share(negative, n)} runs`;
  if (meanRho <= t.maxMeanRho && negative / n >= t.negativeShare) return { verdict: 'reproduced', why: `${what}: mean ≤ ${t.maxMeanRho} and share ≥ ${t.negativeShare}` };
  if (meanRho >= t.contradictedMeanRho) return { verdict: 'contradicted', why: `${what}: mean ≥ +${t.contradictedMeanRho}` };
  return { verdict: 'not reproduced', why: `${what}: not (mean ≤ ${t.maxMeanRho} with share ≥ ${t.negativeShare}), nor mean ≥ +${t.contradictedMeanRho}` };
}

/** C8: the collapse is coupled to Fourier-aligned representations on cyclic groups. */
export const C8: ClaimModule = {
  id: 'C8',
  claim: '(v2) Entropy collapse is coupled to Fourier-aligned representations on cyclic groups',
  paper: 'qualitative',
  rule: (p) => {
    const t = ALIGNMENT_CUTOFFS;
    return (
      `Over the finished baseline runs with ${ALIGNMENT_TAG} records: per run, the Spearman correlation (average ranks for ties) between ${ALIGNMENT_TAG} and H̃ across the evaluations carrying both (undefined with fewer than ${t.minEvaluations} such evaluations or a constant series; such runs are counted, not used). ` +
      `Reproduced if the mean correlation ≤ ${t.maxMeanRho} and at least ${100 * t.negativeShare}% of runs correlate negatively; contradicted if the mean correlation ≥ +${t.contradictedMeanRho}; otherwise not reproduced; inconclusive with fewer than ${p.minN} runs with a correlation.`
    );
  },
  figures: ['fourier'],
  evaluate(ctx) {
    const base = ctx.groups.baseline;
    const absent = absentRole(base);
    if (absent) return absent;
    const tag = ctx.options.entropyTag ?? METRIC_TAGS.entropyHn;
    const withAlignment = base.finished.filter((m) => m.run.records.some((r) => typeof r.metrics[ALIGNMENT_TAG] === 'number'));
    const rhos = withAlignment.map((m) => {
      const both = m.run.records.filter((r) => typeof r.metrics[ALIGNMENT_TAG] === 'number' && typeof r.metrics[tag] === 'number');
      const enough = both.length >= ALIGNMENT_CUTOFFS.minEvaluations;
      const rho = enough
        ? spearman(
            both.map((r) => r.metrics[ALIGNMENT_TAG]!),
            both.map((r) => r.metrics[tag]!),
          )
        : null;
      return { m, rho };
    });
    const used = rhos.filter((x) => x.rho !== null);
    const n = used.length;
    const meanRho = n ? mean(used.map((x) => x.rho!)) : null;
    const negative = used.filter((x) => x.rho! < 0).length;
    const censored = used.filter((x) => x.m.ev.censored).length;
    const statistics: Stats = {
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
    return { ours, n, censored, statistics, decision: decideAlignment(meanRho, negative, n, ctx.params.minN) };
  },
};
