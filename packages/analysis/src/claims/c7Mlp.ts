import { METRIC_TAGS } from '@grokscope/base';
import { num } from '../claimNumbers';
import { type Decision, thresholdRuleText, tooFew } from '../verdictRules';
import type { ClaimModule, Member, Stats } from './claimModule';
import { absentRole, groupStats, tally } from './groupTally';

/** Finished MLP runs C7 needs. */
export const MLP_MIN_RUNS = 3;

export interface MlpCounts {
  readonly collapsedNotGrokked: number;
  readonly collapsedGrokked: number;
  readonly notCollapsedGrokked: number;
  readonly neither: number;
}

/** `finished` MLP runs sorted by collapse and grokking; `threshold` the abelian H̃* (null: none). */
export function decideMlp(c: MlpCounts, finished: number, threshold: number | null): Decision {
  if (finished < MLP_MIN_RUNS) return tooFew(`only ${finished} finished MLP runs`, MLP_MIN_RUNS);
  if (threshold === null)
    return {
      verdict: 'inconclusive',
      why: 'there is no abelian H̃* to judge collapse by (no grokked baseline run yields a minimum)',
    };
  const counts = `${c.collapsedNotGrokked} collapsed without grokking, ${c.collapsedGrokked} collapsed and grokked, ${c.notCollapsedGrokked} grokked without collapse, ${c.neither} neither (H̃* = ${num(threshold)})`;
  if (c.notCollapsedGrokked > 0)
    return {
      verdict: 'contradicted',
      why: `contradicted: ${c.notCollapsedGrokked} MLP runs grokked without collapse; ${counts}`,
    };
  if (c.collapsedNotGrokked > 0)
    return {
      verdict: 'reproduced',
      why: `${c.collapsedNotGrokked} MLP runs collapsed without grokking and none grokked without collapse; ${counts}`,
    };
  return {
    verdict: 'inconclusive',
    why: `no MLP run collapsed without grokking, and none grokked without collapse; ${counts}`,
  };
}

/** The lowest H̃ after t_mem, up to t_grok for a grokked run, to the end otherwise; null if it never memorised or has no H̃ there. */
function lowestAfterMemorising(m: Member, tag: string): number | null {
  const { tMem, tGrok: tg } = m.ev;
  if (tMem === null) return null;
  const hs = m.run.records
    .filter((r) => r.step > tMem && (tg === null || r.step <= tg) && typeof r.metrics[tag] === 'number')
    .map((r) => r.metrics[tag]!);
  return hs.length ? Math.min(...hs) : null;
}

/** C7: MLPs collapse without grokking. */
export const C7: ClaimModule = {
  id: 'C7',
  claim: 'MLPs collapse without grokking: collapse is necessary, not sufficient',
  paper: 'qualitative',
  rule: (p) =>
    `A run collapsed when its lowest H̃ after t_mem (up to t_grok if it grokked, to its end otherwise) is ≤ the abelian baseline's in-sample H̃* (${thresholdRuleText(p.threshold)}); a run that never memorised did not collapse. Over the finished MLP runs: ` +
    `contradicted if any grokked without collapsing (collapse then is not necessary); reproduced if at least one collapsed without grokking and none grokked without collapsing; otherwise inconclusive; inconclusive also with fewer than ${MLP_MIN_RUNS} finished MLP runs or without an abelian H̃*.`,
  figures: ['mlp'],
  evaluate(ctx) {
    const mlp = ctx.groups.mlp;
    const absent = absentRole(mlp);
    if (absent) return absent;
    const h = ctx.abelian.threshold;
    const tag = ctx.options.entropyTag ?? METRIC_TAGS.entropyHn;
    const lows = mlp.finished.map((m) => ({ grokked: !m.ev.censored, low: lowestAfterMemorising(m, tag) }));
    const collapsed = (x: { low: number | null }) => h !== null && x.low !== null && x.low <= h;
    const c: MlpCounts = {
      collapsedNotGrokked: lows.filter((x) => collapsed(x) && !x.grokked).length,
      collapsedGrokked: lows.filter((x) => collapsed(x) && x.grokked).length,
      notCollapsedGrokked: lows.filter((x) => !collapsed(x) && x.grokked).length,
      neither: lows.filter((x) => !collapsed(x) && !x.grokked).length,
    };
    const n = mlp.finished.length;
    const statistics: Stats = { threshold: h, ...c, ...groupStats('mlp', mlp) };
    const ours =
      `of ${n} finished MLP runs: ${c.collapsedNotGrokked} collapsed without grokking, ${c.collapsedGrokked} collapsed and grokked, ${c.notCollapsedGrokked} grokked without collapse, ${c.neither} neither ` +
      `(collapse: lowest H̃ after t_mem ≤ abelian H̃* = ${num(h)}; n = ${n}: ${tally(mlp)})`;
    return { ours, n, censored: mlp.censored.length, statistics, decision: decideMlp(c, n, h) };
  },
};
