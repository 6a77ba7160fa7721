import { DEFAULT_RULE_PARAMETERS, type ClaimId, type RuleParameters } from '../verdictRules';
import { C1, TWO_PHASES_CUTOFFS } from './c1TwoPhases';
import { C2 } from './c2Threshold';
import { C3 } from './c3Intervention';
import { C4 } from './c4NormMatched';
import { C5, FORECAST_CUTOFFS } from './c5Forecast';
import { C6 } from './c6NonAbelian';
import { C7, MLP_MIN_RUNS } from './c7Mlp';
import { ALIGNMENT_CUTOFFS, C8 } from './c8FourierAlignment';
import type { ClaimModule } from './claimModule';
import { CROSSING_CUTOFFS } from './crossingRule';

/**
 * The paper's claims, in report order: the one list of claim modules. A new claim is one module
 * in this folder and one line here (docs/reproduce.md § Adding a claim).
 */
export const CLAIM_MODULES: readonly ClaimModule[] = Object.freeze([C1, C2, C3, C4, C5, C6, C7, C8]);

/** The claims' ids, in report order. */
export const CLAIM_IDS: readonly ClaimId[] = Object.freeze(CLAIM_MODULES.map((m) => m.id));

/** The paper's claims and figures, as the paper states them (docs/science.md § Claims). */
export const CLAIMS: Readonly<Record<ClaimId, { readonly claim: string; readonly paper: string }>> = Object.freeze(
  Object.fromEntries(CLAIM_MODULES.map((m) => [m.id, { claim: m.claim, paper: m.paper }])),
);

/** Each claim's decision rule in words, for the given parameters. */
export function claimRules(p: RuleParameters = DEFAULT_RULE_PARAMETERS): Readonly<Record<ClaimId, string>> {
  return Object.freeze(Object.fromEntries(CLAIM_MODULES.map((m) => [m.id, m.rule(p)])));
}

/** The rules at the default parameters (alpha 0.05, 5 runs per group, H̃* = max of the minima). */
export const CLAIM_RULES = claimRules();

/** The rules' cut-offs, each stated in its claim's module (not options: changing one changes the rule). */
export const VERDICT_THRESHOLDS = Object.freeze({
  /** C1: share of runs whose weight-norm peak precedes the collapse onset. */
  twoPhases: TWO_PHASES_CUTOFFS,
  /** C2, C6: leave-one-run-out crossing share. */
  crossing: CROSSING_CUTOFFS,
  /** C5: leave-one-run-out mean forecast error and in-sample R². */
  forecast: FORECAST_CUTOFFS,
  /** C7: finished MLP runs needed. */
  mlpMinRuns: MLP_MIN_RUNS,
  /** C8: mean within-run Spearman correlation and share of runs correlating negatively. */
  alignment: Object.freeze({
    maxMeanRho: ALIGNMENT_CUTOFFS.maxMeanRho,
    negativeShare: ALIGNMENT_CUTOFFS.negativeShare,
    contradictedMeanRho: ALIGNMENT_CUTOFFS.contradictedMeanRho,
  }),
  /** C8: evaluations carrying both metrics needed for a run's correlation. */
  alignmentMinEvaluations: ALIGNMENT_CUTOFFS.minEvaluations,
});
