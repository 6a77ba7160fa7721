import { bootstrapMeanDiffCI, type BootstrapOptions, DEFAULT_CI_LEVEL } from './bootstrapMeanDiffCI';
import { cohensD } from './cohensD';
import { spread, type Spread } from './describe';
import { type EventOptions, runEvents } from './events';
import { DEFAULT_THRESHOLDS, METRIC_TAGS } from '@grokscope/base';
import { analyzeForecast, type ForecastAnalysis } from './forecast';
import { mannWhitneyU } from './mannWhitneyU';
import { plateauCriterion, type PlateauResult } from './plateau';
import type { RunData } from './runReader';
import { dedupeRuns, type DuplicateRun, runLabels, runState } from './runSet';
import { analyzeThreshold, type ThresholdAnalysis, type ThresholdRule } from './threshold';
import { twoPhases, type TwoPhaseResult } from './twoPhases';
import { welchTTest } from './welchTTest';

export interface AnalyzeOptions extends EventOptions {
  /** How H̃* is chosen (default: max of the per-run minima). */
  readonly threshold?: ThresholdRule;
  /** The condition others are compared with (default `baseline`). */
  readonly baseline?: string;
  /** Bootstrap settings for the mean-difference CI (default 10,000 resamples, seed 0, level 0.95). */
  readonly bootstrap?: BootstrapOptions;
}

export interface RunRow {
  /** Unique among the analysed runs: the folder name, or as much of the path as tells clashing folders apart. */
  readonly name: string;
  /** The run directory as given. */
  readonly dir: string;
  readonly condition: string;
  readonly tMem: number | null;
  readonly tGrok: number | null;
  readonly censored: boolean;
  readonly phases: TwoPhaseResult;
  /** Did test accuracy plateau after t_mem and then jump (plateau.ts)? null: not both memorised and grokked. */
  readonly plateau: PlateauResult | null;
}

export interface ConditionReport {
  readonly condition: string;
  /** Finished runs (grokked + censored); unfinished runs are not counted. */
  readonly n: number;
  readonly censored: number;
  /** Unfinished runs of this condition, left out of every statistic (listed in `unfinished`). */
  readonly unfinished: number;
  readonly tGrok: Spread | null;
  readonly threshold: ThresholdAnalysis;
  readonly twoPhaseShare: number | null;
  readonly forecast: ForecastAnalysis;
}

export interface Comparison {
  readonly condition: string;
  readonly baseline: string;
  /** Grokked runs entering the statistics. */
  readonly nCondition: number;
  readonly nBaseline: number;
  /** Censored runs left out of the statistics (still counted in the condition's n). */
  readonly censoredCondition: number;
  readonly censoredBaseline: number;
  readonly welch: { t: number; df: number; p: number } | null;
  readonly mannWhitney: { U: number; p: number } | null;
  readonly cohensD: number | null;
  /** Percentile-bootstrap CI of mean(condition) − mean(baseline) t_grok, at `level` (0.95 by default). */
  readonly meanDiffCI: { low: number; high: number; level: number } | null;
  /** Why a statistic is null, when one is. */
  readonly note: string | null;
}

/** A run that has not finished: listed, never counted (see UNFINISHED_RULE). */
export interface UnfinishedRun {
  readonly name: string;
  readonly dir: string;
  readonly condition: string;
  /** The summary's status (interrupted, failed), or that there is no summary.json. */
  readonly status: string;
  /** The last step recorded (metrics.jsonl or summary.json); null when nothing was recorded. */
  readonly stepReached: number | null;
  /** Why it ended, when summary.json says. */
  readonly reason: string | null;
}

export interface AnalysisDocument {
  readonly thresholds: { readonly memorised: number; readonly grokked: number; readonly entropyTag: string };
  readonly censoringRule: string;
  readonly unfinishedRule: string;
  /** Finished runs: these are the statistics' runs. */
  readonly runs: readonly RunRow[];
  readonly unfinished: readonly UnfinishedRun[];
  /** Inputs that were the same run as another (same directory, or a copy), counted once. */
  readonly duplicates: readonly DuplicateRun[];
  readonly conditions: readonly ConditionReport[];
  readonly comparisons: readonly Comparison[];
}

export const CENSORING_RULE =
  'Finished runs (status completed or stopped) that never reach the grokking threshold are censored: counted in n and listed, excluded from t_grok statistics, threshold estimation and forecasts, never counted as grokking; the two-phase share includes them (their pre-collapse window is the whole run).';

export const UNFINISHED_RULE =
  'Unfinished runs (no summary.json: still training or killed; or status interrupted or failed) are neither grokked nor censored: listed with their status and the step reached, and left out of n and of every statistic (t_grok, threshold H̃*, two phases, forecasts, comparisons). The same run given twice (the same directory, or a copy with the same manifest createdAt, seed and config) is counted once.';

/** The study's numbers for a set of runs, grouped by condition (JSON-serialisable). */
export function analyzeRuns(input: readonly RunData[], o: AnalyzeOptions = {}): AnalysisDocument {
  const base = o.baseline ?? 'baseline';
  const { runs: unique, duplicates } = dedupeRuns(input);
  const labels = runLabels(unique.map((r) => r.dir));
  const labelled = unique.map((r, i) => ({ ...r, name: labels[i]!, state: runState(r) }));
  const runs = labelled.filter((r) => r.state.finished);
  const unfinished = labelled.flatMap((r): UnfinishedRun[] =>
    r.state.finished
      ? []
      : [
          {
            name: r.name,
            dir: r.dir,
            condition: r.condition,
            status: r.state.status,
            stepReached: r.state.stepReached,
            reason: r.state.reason,
          },
        ],
  );
  const rows: RunRow[] = runs.map((r) => ({
    name: r.name,
    dir: r.dir,
    condition: r.condition,
    ...runEvents(r.records, o),
    phases: twoPhases(r.records, o),
    plateau: plateauCriterion(r.records, o),
  }));
  const conditions = [...new Set(runs.map((r) => r.condition))].sort((a, b) =>
    a === base ? -1 : b === base ? 1 : a.localeCompare(b),
  );
  const reports = conditions.map((c): ConditionReport => {
    const rs = runs.filter((r) => r.condition === c);
    const rr = rows.filter((r) => r.condition === c);
    const phased = rr.filter((r) => r.phases.normFirst !== null);
    return {
      condition: c,
      n: rs.length,
      censored: rr.filter((r) => r.censored).length,
      unfinished: unfinished.filter((r) => r.condition === c).length,
      tGrok: spread(rr.filter((r) => r.tGrok !== null).map((r) => r.tGrok!)),
      threshold: analyzeThreshold(rs, o.threshold, o),
      twoPhaseShare: phased.length ? phased.filter((r) => r.phases.normFirst).length / phased.length : null,
      forecast: analyzeForecast(rs, o, o.threshold),
    };
  });
  const grokTimes = (c: string) => rows.filter((r) => r.condition === c && r.tGrok !== null).map((r) => r.tGrok!);
  const censoredIn = (c: string) => rows.filter((r) => r.condition === c && r.censored).length;
  const b = grokTimes(base);
  const comparisons = conditions.includes(base)
    ? conditions
        .filter((c) => c !== base)
        .map((c) => compare(c, grokTimes(c), censoredIn(c), base, b, censoredIn(base), o.bootstrap))
    : [];
  return {
    thresholds: {
      memorised: o.memorised ?? DEFAULT_THRESHOLDS.memorised,
      grokked: o.grokked ?? DEFAULT_THRESHOLDS.grokked,
      entropyTag: o.entropyTag ?? METRIC_TAGS.entropyHn,
    },
    censoringRule: CENSORING_RULE,
    unfinishedRule: UNFINISHED_RULE,
    runs: rows,
    unfinished,
    duplicates,
    conditions: reports,
    comparisons,
  };
}

/** t_grok of one condition's grokked runs against the baseline's; statistics that cannot be had are null, with a note. */
function compare(
  condition: string,
  a: number[],
  censoredA: number,
  baseline: string,
  b: number[],
  censoredB: number,
  bootstrap: BootstrapOptions = {},
): Comparison {
  const notes: string[] = [];
  const some = a.length > 0 && b.length > 0;
  const two = a.length >= 2 && b.length >= 2;
  if (!some)
    notes.push(
      `every statistic needs at least 1 grokked run per group; have ${a.length} (${condition}) and ${b.length} (${baseline})`,
    );
  else if (!two)
    notes.push(
      `Welch and Cohen's d need at least 2 grokked runs per group; have ${a.length} (${condition}) and ${b.length} (${baseline})`,
    );
  let welch = two ? welchTTest(a, b) : null;
  let d = two ? cohensD(a, b) : null;
  if (welch && !Number.isFinite(welch.t)) {
    welch = null;
    d = null;
    notes.push("t_grok does not vary within either group, so Welch and Cohen's d are undefined");
  }
  const level = bootstrap.level ?? DEFAULT_CI_LEVEL;
  return {
    condition,
    baseline,
    nCondition: a.length,
    nBaseline: b.length,
    censoredCondition: censoredA,
    censoredBaseline: censoredB,
    welch,
    mannWhitney: some ? mannWhitneyU(a, b) : null,
    cohensD: d !== null && Number.isFinite(d) ? d : null,
    meanDiffCI: some
      ? {
          ...bootstrapMeanDiffCI(a, b, { resamples: bootstrap.resamples ?? 10000, seed: bootstrap.seed ?? 0, level }),
          level,
        }
      : null,
    note: notes.length ? notes.join('; ') : null,
  };
}
