import { mean } from '../describe';
import type { ClaimOutcome, Group, Member, Stats } from './claimModule';

/** t_grok of grokked members. */
export const tGrok = (ms: readonly Member[]) => ms.map((m) => m.ev.tGrok!);

/** A statistics key: key('normMatched', 'grokked') = 'normMatchedGrokked'; key('', 'delay') = 'delay'. */
export function key(prefix: string, name: string): string {
  return prefix === '' ? name : prefix + name[0]!.toUpperCase() + name.slice(1);
}

/** A role's counts and mean t_grok, under its prefix. */
export function groupStats(prefix: string, who: Group): Stats {
  return {
    [key(prefix, 'finished')]: who.finished.length,
    [key(prefix, 'grokked')]: who.grokked.length,
    [key(prefix, 'censored')]: who.censored.length,
    [key(prefix, 'unfinished')]: who.unfinished,
    [key(prefix, 'meanTGrok')]: who.grokked.length ? mean(tGrok(who.grokked)) : null,
  };
}

/** "5 grokked, 1 censored, 2 unfinished (not used)" */
export function tally(who: Group): string {
  return `${who.grokked.length} grokked, ${who.censored.length} censored, ${who.unfinished} unfinished (not used)`;
}

/**
 * The outcome of a claim whose role has no runs, or no finished ones: inconclusive, saying
 * which; null when the role has finished runs to judge.
 */
export function absentRole(who: Group): ClaimOutcome | null {
  if (who.total === 0) {
    const decision = { verdict: 'inconclusive' as const, why: `the study has no ${who.label} runs` };
    return {
      ours: `no ${who.label} runs (n = 0)`,
      n: 0,
      censored: 0,
      statistics: { [key(who.prefix, 'unfinished')]: 0 },
      decision,
    };
  }
  if (who.finished.length > 0) return null;
  return {
    ours: `no finished ${who.label} runs (n = 0; ${who.unfinished} unfinished, not used)`,
    n: 0,
    censored: 0,
    statistics: { [key(who.prefix, 'unfinished')]: who.unfinished },
    decision: {
      verdict: 'inconclusive',
      why: `none of the study's ${who.total} ${who.label} runs has finished (${who.unfinished} unfinished)`,
    },
  };
}
