import { mean } from './describe';
import { runEvents, type EventOptions } from './events';
import { METRIC_TAGS } from '@grokscope/base';
import { fitPowerLaw, powerLaw, type PowerLawFit } from './powerLaw';
import type { RunRecord } from './runReader';
import { runMinimum, thresholdFrom, type ThresholdRule } from './threshold';

export interface Observation {
  readonly step: number;
  /** H̃(t) − H̃* (> 0) */
  readonly x: number;
  /** t_grok − t */
  readonly y: number;
}

/** docs/science.md § Forecast: evaluated steps before t_grok with x = H̃(t) − H̃* > 0, y = t_grok − t. */
export function forecastObservations(
  records: readonly RunRecord[],
  threshold: number,
  o: EventOptions = {},
): Observation[] {
  const tag = o.entropyTag ?? METRIC_TAGS.entropyHn;
  const { tGrok } = runEvents(records, o);
  if (tGrok === null) return [];
  return records
    .filter((r) => r.step < tGrok && typeof r.metrics[tag] === 'number' && r.metrics[tag]! - threshold > 0)
    .map((r) => ({ step: r.step, x: r.metrics[tag]! - threshold, y: tGrok - r.step }));
}

/** t̂_grok = t + C1·(H̃(t) − H̃*)^γ + C2; null while H̃ ≤ H̃* (the law says nothing there). */
export function forecastAt(
  step: number,
  h: number,
  threshold: number,
  law: Pick<PowerLawFit, 'C1' | 'gamma' | 'C2'>,
): number | null {
  const x = h - threshold;
  return x > 0 ? step + powerLaw(law, x) : null;
}

/** The live forecast for each record so far (what `grokscope forecast --follow` prints). */
export function onlineForecast(
  records: readonly RunRecord[],
  threshold: number,
  law: Pick<PowerLawFit, 'C1' | 'gamma' | 'C2'>,
  entropyTag: string = METRIC_TAGS.entropyHn,
): { step: number; h: number; predicted: number | null }[] {
  return records
    .filter((r) => typeof r.metrics[entropyTag] === 'number')
    .map((r) => ({
      step: r.step,
      h: r.metrics[entropyTag]!,
      predicted: forecastAt(r.step, r.metrics[entropyTag]!, threshold, law),
    }));
}

/** One forecast t̂_grok made at `step`, beside the run's actual t_grok. */
export interface ForecastPoint {
  readonly step: number;
  readonly predicted: number;
  readonly actual: number;
}

export interface ForecastScore {
  readonly name: string;
  readonly tGrok: number;
  readonly threshold: number | null;
  readonly fit: PowerLawFit | null;
  readonly points: readonly ForecastPoint[];
  /** Mean |t̂ − t_grok| / t_grok over the held-out run's forecast steps. */
  readonly mape: number | null;
  /** Mean t_grok − t over those steps. */
  readonly meanLead: number | null;
}

export interface ForecastAnalysis {
  /** The law fitted on every grokking run's observations, with the in-sample H̃*. */
  readonly fit: PowerLawFit | null;
  readonly threshold: number | null;
  readonly observations: number;
  /** Leave-one-run-out: H̃* and the law from the other runs, scored on the held-out one. */
  readonly leaveOneOut: readonly ForecastScore[];
  /** Mean over the scored runs of each run's mean error (each run weighs the same). */
  readonly mape: number | null;
  /** Mean over the scored runs of each run's mean lead. */
  readonly meanLead: number | null;
}

/**
 * Fit the power law on every grokking run and score it out of sample: for each run, H̃* and the
 * law come from the other runs only. `threshold` is a fixed H̃* or the rule that picks it
 * (default: max of the per-run minima). Censored runs give no observations and are not scored.
 */
export function analyzeForecast(
  runs: readonly { name: string; records: readonly RunRecord[] }[],
  o: EventOptions = {},
  threshold?: number | ThresholdRule,
): ForecastAnalysis {
  const rule: ThresholdRule =
    typeof threshold === 'number' ? { kind: 'fixed', value: threshold } : (threshold ?? { kind: 'max' });
  const grokking = runs
    .map((r) => ({ ...r, m: runMinimum(r.records, o), tGrok: runEvents(r.records, o).tGrok }))
    .filter((r) => r.m !== null && r.tGrok !== null);
  const thresholdOf = (rs: typeof grokking) =>
    thresholdFrom(
      rs.map((r) => r.m!),
      rule,
    );
  const fitOn = (rs: typeof grokking, h: number | null) => {
    if (h === null) return null;
    const obs = rs.flatMap((r) => forecastObservations(r.records, h, o));
    if (obs.length < 4) return null;
    try {
      return fitPowerLaw(
        obs.map((p) => p.x),
        obs.map((p) => p.y),
      );
    } catch {
      return null;
    }
  };
  const inSample = thresholdOf(grokking);
  const fit = fitOn(grokking, inSample);
  const leaveOneOut = grokking.map((r, i): ForecastScore => {
    const others = grokking.filter((_, j) => j !== i);
    const h = thresholdOf(others);
    const law = fitOn(others, h);
    const points =
      h === null || law === null
        ? []
        : forecastObservations(r.records, h, o).map((p) => ({
            step: p.step,
            predicted: p.step + powerLaw(law, p.x),
            actual: r.tGrok!,
          }));
    return {
      name: r.name,
      tGrok: r.tGrok!,
      threshold: h,
      fit: law,
      points,
      mape: points.length ? mean(points.map((p) => Math.abs(p.predicted - p.actual) / p.actual)) : null,
      meanLead: points.length ? mean(points.map((p) => p.actual - p.step)) : null,
    };
  });
  const scored = leaveOneOut.filter((s) => s.mape !== null);
  return {
    fit,
    threshold: inSample,
    observations:
      inSample === null ? 0 : grokking.reduce((s, r) => s + forecastObservations(r.records, inSample, o).length, 0),
    leaveOneOut,
    mape: scored.length ? mean(scored.map((s) => s.mape!)) : null,
    meanLead: scored.length ? mean(scored.map((s) => s.meanLead!)) : null,
  };
}
