import { quantile, spread, type Spread } from './describe';
import { crossingStep, type EventOptions, runEvents } from './events';
import { METRIC_TAGS } from '@grokscope/base';
import type { RunRecord } from './runReader';

/**
 * The paper's H̃* (arXiv 2604.13123: ≈ 0.61 for 1-layer Transformers on its modular tasks): the
 * threshold to show a single run against when no other is given. Configuration-specific: the
 * quick study's a+b runs give 0.654 (docs/science.md § The laptop configuration), so a study estimates
 * its own with analyzeThreshold.
 */
export const PAPER_THRESHOLD = 0.61;

/** How H̃* comes from the per-run minima: their max (the default, docs/science.md § Threshold), a type-7 quantile, or a value fixed by the user. */
export type ThresholdRule =
  | { readonly kind: 'max' }
  | { readonly kind: 'quantile'; readonly q: number }
  | { readonly kind: 'fixed'; readonly value: number };

export interface RunThresholdInput {
  readonly name: string;
  readonly records: readonly RunRecord[];
}

/** m_r: the lowest H̃ after t_mem up to t_grok (the window t_cross searches), for a run that grokked. */
export function runMinimum(records: readonly RunRecord[], o: EventOptions = {}): number | null {
  const { tMem, tGrok } = runEvents(records, o);
  if (tMem === null || tGrok === null) return null;
  const tag = o.entropyTag ?? METRIC_TAGS.entropyHn;
  const hs = records
    .filter((r) => r.step > tMem && r.step <= tGrok && typeof r.metrics[tag] === 'number')
    .map((r) => r.metrics[tag]!);
  return hs.length ? Math.min(...hs) : null;
}

/** H̃* from per-run minima: their max (every run had crossed it by t_grok), a quantile, or fixed. */
export function thresholdFrom(minima: readonly number[], rule: ThresholdRule = { kind: 'max' }): number | null {
  if (rule.kind === 'fixed') return rule.value;
  if (minima.length === 0) return null;
  return rule.kind === 'max' ? Math.max(...minima) : quantile(minima, rule.q);
}

export interface CrossingResult {
  readonly name: string;
  readonly threshold: number | null;
  readonly tGrok: number | null;
  readonly tCross: number | null;
  /** t_grok − t_cross when the run crossed before (or at) t_grok. */
  readonly lead: number | null;
  readonly crossedBeforeGrok: boolean;
}

export interface ThresholdAnalysis {
  readonly rule: ThresholdRule;
  /** In-sample H̃*. */
  readonly threshold: number | null;
  /** Stability: spread of the per-run minima m_r. */
  readonly minima: Spread | null;
  readonly inSample: readonly CrossingResult[];
  /** Runs that yield no m_r, with why: never memorised, censored, or no H̃ after t_mem. */
  readonly unscored: readonly { readonly name: string; readonly reason: string }[];
  /** Each grokking run scored against H̃* estimated from the other runs. */
  readonly leaveOneOut: readonly CrossingResult[];
  readonly crossingShare: { readonly inSample: number | null; readonly leaveOneOut: number | null };
  readonly lead: { readonly inSample: Spread | null; readonly leaveOneOut: Spread | null };
}

/** docs/science.md § Threshold: H̃*, its stability, and the crossing share and lead, in-sample and leave-one-run-out. */
export function analyzeThreshold(
  runs: readonly RunThresholdInput[],
  rule: ThresholdRule = { kind: 'max' },
  o: EventOptions = {},
): ThresholdAnalysis {
  const tag = o.entropyTag ?? METRIC_TAGS.entropyHn;
  const all = runs.map((r) => ({ ...r, m: runMinimum(r.records, o), ev: runEvents(r.records, o) }));
  const grokking = all.filter((r) => r.m !== null);
  const unscored = all
    .filter((r) => r.m === null)
    .map((r) => ({
      name: r.name,
      reason:
        r.ev.tGrok === null
          ? 'censored (never grokked)'
          : r.ev.tMem === null
            ? 'never memorised'
            : `no ${tag} after t_mem up to t_grok`,
    }));
  const minima = grokking.map((r) => r.m!);
  const threshold = thresholdFrom(minima, rule);
  const score = (r: (typeof grokking)[number], h: number | null): CrossingResult => {
    const tCross = h === null ? null : crossingStep(r.records, h, r.ev.tMem, tag);
    const crossed = tCross !== null && r.ev.tGrok !== null && tCross <= r.ev.tGrok;
    return {
      name: r.name,
      threshold: h,
      tGrok: r.ev.tGrok,
      tCross,
      lead: crossed ? r.ev.tGrok! - tCross! : null,
      crossedBeforeGrok: crossed,
    };
  };
  const inSample = grokking.map((r) => score(r, threshold));
  const leaveOneOut = grokking.map((r, i) =>
    score(
      r,
      rule.kind === 'fixed'
        ? rule.value
        : thresholdFrom(
            minima.filter((_, j) => j !== i),
            rule,
          ),
    ),
  );
  const share = (xs: readonly CrossingResult[]) =>
    xs.length ? xs.filter((x) => x.crossedBeforeGrok).length / xs.length : null;
  const leads = (xs: readonly CrossingResult[]) => spread(xs.filter((x) => x.lead !== null).map((x) => x.lead!));
  return {
    rule,
    threshold,
    minima: spread(minima),
    inSample,
    unscored,
    leaveOneOut,
    crossingShare: { inSample: share(inSample), leaveOneOut: share(leaveOneOut) },
    lead: { inSample: leads(inSample), leaveOneOut: leads(leaveOneOut) },
  };
}
