import type { ClaimModule } from './claimModule';
import { crossingOutcome, crossingRule } from './crossingRule';

/** C2: H̃ falls below a stable H̃* before test accuracy rises. */
export const C2: ClaimModule = {
  id: 'C2',
  claim: 'H̃ falls below a stable threshold H̃* before test accuracy rises, in every run',
  paper: 'H̃* ≈ 0.61, 100% of runs (3 modular tasks × 10 seeds), mean lead 1,020 steps',
  rule: (p) => crossingRule('baseline', p),
  figures: ['aligned-entropy'],
  evaluate: (ctx) => crossingOutcome(ctx.groups.baseline, ctx.abelian, ctx.params.minN, {}, ''),
};
