import { METRIC_TAGS } from '@grokscope/base';
import { num, share } from '../claimNumbers';
import { mean } from '../describe';
import type { RunRecord } from '../runReader';
import { spearman } from '../spearman';
import { type Decision, tooFew } from '../verdictRules';
import type { ClaimModule, Group, Stats } from './claimModule';
import { absentRole, groupStats, key, tally } from './groupTally';

/** The mean within-run correlation and negative share that reproduce, the mean that contradicts, and the evaluations a run needs. */
export const ALIGNMENT_CUTOFFS = Object.freeze({
  maxMeanRho: -0.5,
  negativeShare: 0.8,
  contradictedMeanRho: 0.5,
  minEvaluations: 3,
});

const ALIGNMENT_TAG = METRIC_TAGS.fourierAlignment;
/** The non-abelian runs' alignment: the same measure through the group's irreps (docs/science.md). */
const IRREPS_TAG = METRIC_TAGS.irrepAlignment;

/** Mean within-run Spearman correlation over `n` runs, `negative` of them below 0. */
export function decideAlignment(meanRho: number | null, negative: number, n: number, minN: number): Decision {
  const t = ALIGNMENT_CUTOFFS;
  if (n < minN || meanRho === null)
    return tooFew(`only ${n} finished baseline runs have a correlation between ${ALIGNMENT_TAG} and H̃`, minN);
  const what = `mean Spearman ρ = ${num(meanRho)}, negative in ${share(negative, n)} runs`;
  if (meanRho <= t.maxMeanRho && negative / n >= t.negativeShare)
    return { verdict: 'reproduced', why: `${what}: mean ≤ ${t.maxMeanRho} and share ≥ ${t.negativeShare}` };
  if (meanRho >= t.contradictedMeanRho)
    return { verdict: 'contradicted', why: `${what}: mean ≥ +${t.contradictedMeanRho}` };
  return {
    verdict: 'not reproduced',
    why: `${what}: not (mean ≤ ${t.maxMeanRho} with share ≥ ${t.negativeShare}), nor mean ≥ +${t.contradictedMeanRho}`,
  };
}

/** The per-run Spearman correlations between `tag` and H̃ over a role's finished runs, summarised. */
interface Correlations {
  readonly n: number;
  readonly meanRho: number | null;
  readonly negative: number;
  readonly censored: number;
  readonly withAlignment: number;
  readonly stats: Stats;
}

function correlations(who: Group, tag: string, entropyTag: string): Correlations {
  const withAlignment = who.finished.filter((m) => m.run.records.some((r) => typeof r.metrics[tag] === 'number'));
  const rhos = withAlignment.map((m) => {
    const carries = (r: RunRecord) => typeof r.metrics[tag] === 'number' && typeof r.metrics[entropyTag] === 'number';
    const both = m.run.records.filter(carries);
    const enough = both.length >= ALIGNMENT_CUTOFFS.minEvaluations;
    const rho = enough
      ? spearman(
          both.map((r) => r.metrics[tag]!),
          both.map((r) => r.metrics[entropyTag]!),
        )
      : null;
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
    withoutAlignment: who.finished.length - withAlignment.length,
    undefinedCorrelation: withAlignment.length - n,
  };
  return { n, meanRho, negative, censored, withAlignment: withAlignment.length, stats };
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
      `Reproduced if the mean correlation ≤ ${t.maxMeanRho} and at least ${100 * t.negativeShare}% of runs correlate negatively; contradicted if the mean correlation ≥ +${t.contradictedMeanRho}; otherwise not reproduced; inconclusive with fewer than ${p.minN} runs with a correlation. ` +
      `The non-abelian runs are read the same way with ${IRREPS_TAG} (the alignment through the group's irreps) ` +
      `in place of ${ALIGNMENT_TAG}, and their mean correlation, share and what the same cut-offs say of them ` +
      'are reported beside the verdict, which rests on the cyclic baseline runs alone.'
    );
  },
  figures: ['fourier'],
  evaluate(ctx) {
    const base = ctx.groups.baseline;
    const absent = absentRole(base);
    if (absent) return absent;
    const tag = ctx.options.entropyTag ?? METRIC_TAGS.entropyHn;
    const cyclic = correlations(base, ALIGNMENT_TAG, tag);
    const { n, meanRho, negative, censored } = cyclic;
    const nonAbelian = ctx.groups.nonAbelian;
    const other = nonAbelian.finished.length > 0 ? correlations(nonAbelian, IRREPS_TAG, tag) : null;
    const statistics: Stats = {
      ...cyclic.stats,
      ...groupStats('baseline', base),
      ...(other ? prefixed(nonAbelian.prefix, other.stats) : {}),
    };
    const ours =
      `mean Spearman ρ(alignment, H̃) = ${num(meanRho)}, negative in ${share(negative, n)} runs (n = ${n} runs with a correlation, ${censored} of them censored; ` +
      `${base.finished.length - cyclic.withAlignment} finished without alignment, ` +
      `${cyclic.withAlignment - n} with too few evaluations or a constant series; baseline: ${tally(base)})` +
      (other ? `; ${nonAbelianWords(other, nonAbelian, ctx.params.minN)}` : '');
    return { ours, n, censored, statistics, decision: decideAlignment(meanRho, negative, n, ctx.params.minN) };
  },
};

/** `stats` under a role's prefix: meanRho → nonAbelianMeanRho. */
function prefixed(prefix: string, stats: Stats): Stats {
  return Object.fromEntries(Object.entries(stats).map(([k, v]) => [key(prefix, k), v]));
}

/** The non-abelian runs' figure and what the rule's cut-offs say of it, reported beside the verdict. */
function nonAbelianWords(c: Correlations, who: Group, minN: number): string {
  const d = decideAlignment(c.meanRho, c.negative, c.n, minN);
  const by = d.verdict === 'inconclusive' ? `too few (${c.n} < ${minN})` : d.verdict;
  return (
    `${who.label} runs (${IRREPS_TAG}, reported, not judged): mean ρ = ${num(c.meanRho)}, ` +
    `negative in ${share(c.negative, c.n)} runs (n = ${c.n}, ${c.censored} censored; ` +
    `${who.finished.length - c.withAlignment} finished without it), by the same cut-offs ${by}`
  );
}
