import type { BootstrapOptions } from '../bootstrapMeanDiffCI';
import type { EventOptions, RunEvents } from '../events';
import type { RunData } from '../runReader';
import type { StudyFigureId } from '../studyCharts';
import type { ThresholdAnalysis, ThresholdRule } from '../threshold';
import type { ClaimId, Decision, RuleParameters, Verdict } from '../verdictRules';

/**
 * One of the paper's claims, whole: what it says, the paper's figure, the rule that judges it
 * (fixed before the data), how it is evaluated on a study's runs, and the study figures that
 * show it. Every claim is one module in this folder, listed once in claimRegistry.ts
 * (docs/reproduce.md § Adding a claim).
 */
export interface ClaimModule {
  readonly id: ClaimId;
  /** One line: the paper's claim. */
  readonly claim: string;
  /** The paper's figure, as the paper states it. */
  readonly paper: string;
  /** The decision rule in words, for the given parameters: printed next to the verdict. */
  rule(p: RuleParameters): string;
  /** The claim on a study's runs: our figure, the numbers behind it and the rule's decision. */
  evaluate(ctx: ClaimContext): ClaimOutcome;
  /** The study figures (studyCharts.ts) that show this claim. */
  readonly figures: readonly StudyFigureId[];
}

/** What a claim's evaluation yields; evaluateClaims adds the claim's id, words and rule. */
export interface ClaimOutcome {
  /** Our figure in one line, with n (and censored and unfinished counts where relevant). */
  readonly ours: string;
  /** Runs that entered the decision. */
  readonly n: number;
  /** Censored runs (finished, never grokked) among the claim's finished runs. */
  readonly censored: number;
  /** The numbers behind `ours`, machine-readable (null: could not be had). */
  readonly statistics: Stats;
  readonly decision: Decision;
}

export type Stats = Record<string, number | null>;

/** A finished run of a role, with its events. */
export interface Member {
  readonly run: RunData;
  readonly ev: RunEvents;
  /** Where the run counts in a rank check if censored. */
  readonly cap: number;
}

/** The runs of one role: finished ones split into grokked and censored; unfinished ones only counted. */
export interface Group {
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

/** What every claim's evaluation may read: the study's runs by role, the parameters, the abelian H̃*. */
export interface ClaimContext {
  readonly params: RuleParameters;
  readonly options: ClaimOptions;
  readonly groups: {
    /** Every abelian Transformer baseline condition. */
    readonly baseline: Group;
    /** The baseline the delays are measured against (`baseline`, else the first). */
    readonly mainBaseline: Group;
    readonly intervention: Group;
    readonly intervention2: Group;
    readonly normMatched: Group;
    readonly mlp: Group;
    readonly nonAbelian: Group;
  };
  /** The main baseline's condition name. */
  readonly mainBaseline: string | undefined;
  /** H̃* of the finished abelian baseline runs, with the leave-one-run-out crossings. */
  readonly abelian: ThresholdAnalysis;
  /** H̃* of a role's finished runs by the study's rule. */
  thresholdOf(who: Group): ThresholdAnalysis;
}

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
  /** The decision rule in words (the claim module's `rule`). */
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
