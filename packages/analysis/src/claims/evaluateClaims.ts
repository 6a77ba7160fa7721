import { runEvents } from '../events';
import type { RunData } from '../runReader';
import { dedupeRuns, runState } from '../runSet';
import { analyzeThreshold } from '../threshold';
import { DEFAULT_RULE_PARAMETERS, type RuleParameters } from '../verdictRules';
import type { ClaimContext, ClaimOptions, ClaimRow, Group, Member, StudyRoles } from './claimModule';
import { CLAIM_MODULES } from './claimRegistry';

/**
 * The claims table: one row per claim module (claimRegistry.ts), each with a verdict from the
 * rule its module fixes. Only finished runs (summary status completed or stopped) enter a
 * statistic; unfinished ones are counted in `ours` and `statistics`. A finished run that never
 * grokked is censored: counted, never dropped silently, never counted as grokking. Each run
 * counts once (the same directory or a copy given twice, as dedupeRuns finds; analyzeRuns lists them).
 */
export function evaluateClaims(input: readonly RunData[], roles: StudyRoles, o: ClaimOptions = {}): ClaimRow[] {
  const params: RuleParameters = {
    alpha: o.alpha ?? DEFAULT_RULE_PARAMETERS.alpha,
    minN: o.minN ?? DEFAULT_RULE_PARAMETERS.minN,
    threshold: o.threshold ?? DEFAULT_RULE_PARAMETERS.threshold,
  };
  const { runs } = dedupeRuns(input);
  const group = (label: string, prefix: string, conditions: readonly (string | undefined)[]): Group => {
    const named = conditions.filter((c): c is string => typeof c === 'string' && c !== '');
    const all = runs.filter((r) => named.includes(r.condition));
    const finished = all.flatMap((run): Member[] => {
      const state = runState(run);
      return state.finished ? [{ run, ev: runEvents(run.records, o), cap: o.stepCap ?? state.stepReached }] : [];
    });
    const grokked = finished.filter((m) => !m.ev.censored);
    const censored = finished.filter((m) => m.ev.censored);
    return {
      label,
      prefix,
      conditions: named,
      total: all.length,
      finished,
      grokked,
      censored,
      unfinished: all.length - finished.length,
    };
  };
  const mainBaseline = roles.baseline.includes('baseline') ? 'baseline' : roles.baseline[0];
  const thresholdOf = (who: Group) =>
    analyzeThreshold(
      who.finished.map((m) => ({ name: m.run.name, records: m.run.records })),
      params.threshold,
      o,
    );
  const groups: ClaimContext['groups'] = {
    baseline: group('baseline', 'baseline', roles.baseline),
    mainBaseline: group('baseline', 'baseline', [mainBaseline]),
    intervention: group('intervention', 'intervention', [roles.intervention]),
    intervention2: group('intervention2', 'intervention2', [roles.intervention2]),
    normMatched: group('norm-matched', 'normMatched', [roles.normMatched]),
    mlp: group('MLP', 'mlp', [roles.mlp]),
    nonAbelian: group('non-abelian', 'nonAbelian', [roles.nonAbelian]),
  };
  const ctx: ClaimContext = {
    params,
    options: o,
    groups,
    mainBaseline,
    abelian: thresholdOf(groups.baseline),
    thresholdOf,
  };
  return CLAIM_MODULES.map((m) => {
    const { ours, n, censored, statistics, decision } = m.evaluate(ctx);
    const { verdict, why } = decision;
    return {
      id: m.id,
      claim: m.claim,
      paper: m.paper,
      ours,
      n,
      censored,
      statistics: Object.freeze(statistics),
      verdict,
      rule: m.rule(params),
      why,
    };
  });
}
