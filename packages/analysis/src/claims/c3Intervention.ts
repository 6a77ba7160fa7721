import { DEFAULT_CI_LEVEL } from '../bootstrapMeanDiffCI';
import type { ClaimModule, Stats } from './claimModule';
import { compare, comparisonStats, comparisonText, delayOutcome, delayRule } from './delayRule';
import { groupStats, tally } from './groupTally';

/** C3: blocking the collapse delays grokking. */
export const C3: ClaimModule = {
  id: 'C3',
  claim: 'An intervention that keeps H̃ from collapsing delays grokking',
  paper: "+5,020 steps, p = 0.044, Cohen's d = 0.70",
  rule: (p) =>
    delayRule('intervention', 'baseline', p) +
    " A second intervention variant is reported beside it; the verdict is the main intervention's.",
  figures: ['grok-times'],
  evaluate(ctx) {
    const { intervention, intervention2: i2, mainBaseline } = ctx.groups;
    let extra = { stats: {} as Stats, text: '' };
    if (i2.total > 0 && mainBaseline.finished.length > 0 && i2.finished.length > 0) {
      const c = compare(i2, mainBaseline, ctx.options.bootstrap);
      const level = ctx.options.bootstrap?.level ?? DEFAULT_CI_LEVEL;
      extra = {
        stats: { ...comparisonStats('intervention2', c), ...groupStats('intervention2', i2) },
        text: `; intervention2 (${i2.conditions.join(', ')}): ${comparisonText(c, level)} (${tally(i2)})`,
      };
    } else if (i2.total > 0) {
      extra = {
        stats: groupStats('intervention2', i2),
        text: `; intervention2 (${i2.conditions.join(', ')}): no comparison (${tally(i2)})`,
      };
    }
    return delayOutcome(ctx, intervention, mainBaseline, ctx.mainBaseline ?? 'baseline', extra);
  },
};
