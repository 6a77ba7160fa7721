import { DEFAULT_CI_LEVEL } from '../bootstrapMeanDiffCI';
import type { ClaimModule, Stats } from './claimModule';
import { compare, comparisonStats, comparisonText, delayOutcome, delayRule } from './delayRule';
import { groupStats, tally } from './groupTally';

/** C4: the same weight norm without the collapse: entropy, not norm, drives it. */
export const C4: ClaimModule = {
  id: 'C4',
  claim: 'A norm-matched control shows entropy, not weight norm, drives it',
  paper: 'n = 30 seeds, p = 5e-5, d = 1.55',
  rule: (p) =>
    delayRule('intervention', 'norm-matched', p) +
    ' The norm-matched delay against the baseline is reported, not used in the verdict.',
  figures: ['grok-times', 'norm-matched'],
  evaluate(ctx) {
    const { intervention, normMatched: nm, mainBaseline } = ctx.groups;
    let extra = { stats: {} as Stats, text: '' };
    if (nm.finished.length > 0 && mainBaseline.finished.length > 0) {
      const c = compare(nm, mainBaseline, ctx.options.bootstrap);
      const level = ctx.options.bootstrap?.level ?? DEFAULT_CI_LEVEL;
      extra = {
        stats: { ...comparisonStats('normMatchedVsBaseline', c), ...groupStats('baseline', mainBaseline) },
        text: `; norm-matched − ${ctx.mainBaseline}: ${comparisonText(c, level)} (baseline: ${tally(mainBaseline)})`,
      };
    }
    return delayOutcome(ctx, intervention, nm, 'norm-matched', extra);
  },
};
