import { num } from '../claimNumbers';
import type { ClaimModule } from './claimModule';
import { crossingOutcome, crossingRule } from './crossingRule';

/** C6: the same collapse and crossing on a non-abelian group, with its own H̃*. */
export const C6: ClaimModule = {
  id: 'C6',
  claim: 'The same holds on a non-abelian group',
  paper: 'S5 composition (120 classes), with a shifted H̃*',
  rule: (p) =>
    `The C2 rule applied to the non-abelian runs. ${crossingRule('non-abelian', p)} Their H̃* is reported beside the abelian baseline's in-sample H̃* with the shift (non-abelian − abelian), not used in the verdict.`,
  figures: ['abelian'],
  evaluate(ctx) {
    const a = ctx.thresholdOf(ctx.groups.nonAbelian);
    const abelian = ctx.abelian.threshold;
    const shift = a.threshold !== null && abelian !== null ? a.threshold - abelian : null;
    const shown = shift === null ? '–' : `${shift >= 0 ? '+' : ''}${num(shift)}`;
    return crossingOutcome(
      ctx.groups.nonAbelian,
      a,
      ctx.params.minN,
      { abelianThreshold: abelian, shift },
      ` (abelian ${num(abelian)}, shift ${shown})`,
    );
  },
};
