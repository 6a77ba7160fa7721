import { bootstrapMeanDiffCI } from './bootstrapMeanDiffCI';
import { cohensD } from './cohensD';
import { spread, type Spread } from './describe';
import { type EventOptions, runEvents } from './events';
import { analyzeForecast, type ForecastAnalysis } from './forecast';
import { mannWhitneyU } from './mannWhitneyU';
import type { RunData } from './runReader';
import { analyzeThreshold, type ThresholdAnalysis, type ThresholdRule } from './threshold';
import { twoPhases, type TwoPhaseResult } from './twoPhases';
import { welchTTest } from './welchTTest';

export interface AnalyzeOptions extends EventOptions {
  readonly threshold?: ThresholdRule;
  readonly baseline?: string;
  readonly bootstrap?: { readonly resamples?: number; readonly seed?: number };
}

export interface RunRow {
  readonly name: string;
  readonly condition: string;
  readonly tMem: number | null;
  readonly tGrok: number | null;
  readonly censored: boolean;
  readonly phases: TwoPhaseResult;
}

export interface ConditionReport {
  readonly condition: string;
  readonly n: number;
  readonly censored: number;
  readonly tGrok: Spread | null;
  readonly threshold: ThresholdAnalysis;
  readonly twoPhaseShare: number | null;
  readonly forecast: ForecastAnalysis;
}

export interface Comparison {
  readonly condition: string;
  readonly baseline: string;
  readonly nCondition: number;
  readonly nBaseline: number;
  readonly welch: { t: number; df: number; p: number } | null;
  readonly mannWhitney: { U: number; p: number } | null;
  readonly cohensD: number | null;
  readonly meanDiffCI95: { low: number; high: number } | null;
}

export interface AnalysisDocument {
  readonly thresholds: { readonly memorised: number; readonly grokked: number; readonly entropyTag: string };
  readonly censoringRule: string;
  readonly runs: readonly RunRow[];
  readonly conditions: readonly ConditionReport[];
  readonly comparisons: readonly Comparison[];
}

export const CENSORING_RULE =
  'Runs that never reach the grokking threshold are censored: counted in n and listed, excluded from t_grok statistics, threshold estimation and forecasts; never counted as grokking.';

/** The study's numbers for a set of runs, grouped by condition (JSON-serialisable). */
export function analyzeRuns(runs: readonly RunData[], o: AnalyzeOptions = {}): AnalysisDocument {
  const rows: RunRow[] = runs.map((r) => ({ name: r.name, condition: r.condition, ...runEvents(r.records, o), phases: twoPhases(r.records, o) }));
  const conditions = [...new Set(runs.map((r) => r.condition))].sort((a, b) => (a === (o.baseline ?? 'baseline') ? -1 : b === (o.baseline ?? 'baseline') ? 1 : a.localeCompare(b)));
  const reports = conditions.map((c): ConditionReport => {
    const rs = runs.filter((r) => r.condition === c);
    const rr = rows.filter((r) => r.condition === c);
    const phased = rr.filter((r) => r.phases.normFirst !== null);
    return {
      condition: c,
      n: rs.length,
      censored: rr.filter((r) => r.censored).length,
      tGrok: spread(rr.filter((r) => r.tGrok !== null).map((r) => r.tGrok!)),
      threshold: analyzeThreshold(rs, o.threshold, o),
      twoPhaseShare: phased.length ? phased.filter((r) => r.phases.normFirst).length / phased.length : null,
      forecast: analyzeForecast(rs, o, o.threshold?.kind === 'fixed' ? o.threshold.value : undefined),
    };
  });
  const base = o.baseline ?? 'baseline';
  const grokTimes = (c: string) => rows.filter((r) => r.condition === c && r.tGrok !== null).map((r) => r.tGrok!);
  const b = grokTimes(base);
  const comparisons = conditions.filter((c) => c !== base && b.length > 0).map((c): Comparison => {
    const a = grokTimes(c);
    const ok = a.length >= 2 && b.length >= 2;
    return {
      condition: c, baseline: base, nCondition: a.length, nBaseline: b.length,
      welch: ok ? welchTTest(a, b) : null,
      mannWhitney: a.length && b.length ? mannWhitneyU(a, b) : null,
      cohensD: ok ? cohensD(a, b) : null,
      meanDiffCI95: a.length && b.length ? bootstrapMeanDiffCI(a, b, { resamples: o.bootstrap?.resamples ?? 10000, seed: o.bootstrap?.seed ?? 0, level: 0.95 }) : null,
    };
  });
  return {
    thresholds: { memorised: o.memorised ?? 0.99, grokked: o.grokked ?? 0.95, entropyTag: o.entropyTag ?? 'entropy/Hn' },
    censoringRule: CENSORING_RULE,
    runs: rows,
    conditions: reports,
    comparisons,
  };
}
