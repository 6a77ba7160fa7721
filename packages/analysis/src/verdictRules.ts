// What every claim's rule shares: the verdicts, the parameters a caller may set before the data
// is seen, and how H̃* is worded. Each claim's own rule — its words, cut-offs and the code that
// applies them — is in its module under claims/ (claimRegistry.ts lists them).
import type { ThresholdRule } from './threshold';

export type Verdict = 'reproduced' | 'not reproduced' | 'contradicted' | 'inconclusive';
/** A claim's id: C1, C2, … (claims/claimRegistry.ts lists them). */
export type ClaimId = `C${number}`;

/** A verdict and the branch of its rule that fired, with the numbers. */
export interface Decision {
  readonly verdict: Verdict;
  readonly why: string;
}

/** How C3 and C4 treat runs that never grokked. */
export const CENSORED_RUNS_RULE =
  'censored runs are excluded from Welch and d; as a check, a Mann–Whitney U counts every censored run at its step cap';

/** What the caller may set before the data is seen; the rule texts quote them. */
export interface RuleParameters {
  /** Significance level of the Welch tests (default 0.05). */
  readonly alpha: number;
  /** Grokked runs needed per group (default 5). */
  readonly minN: number;
  /** How H̃* comes from the per-run minima (default: their max). */
  readonly threshold: ThresholdRule;
}

export const DEFAULT_RULE_PARAMETERS: RuleParameters = Object.freeze({
  alpha: 0.05,
  minN: 5,
  threshold: Object.freeze({ kind: 'max' }) as ThresholdRule,
});

/** The H̃* rule in words. */
export function thresholdRuleText(rule: ThresholdRule): string {
  const m = 'm_r being the lowest H̃ after t_mem up to t_grok';
  if (rule.kind === 'max') return `H̃* = the largest per-run minimum m_r, ${m}`;
  if (rule.kind === 'quantile') return `H̃* = the ${rule.q}-quantile (type 7) of the per-run minima m_r, ${m}`;
  return `H̃* fixed at ${rule.value}`;
}

/** An inconclusive decision: what the study has, and what the rule needs. */
export const tooFew = (have: string, need: number | string): Decision => ({
  verdict: 'inconclusive',
  why: `${have}; the rule needs at least ${need}`,
});
