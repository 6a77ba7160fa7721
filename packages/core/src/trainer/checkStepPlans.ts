import { GrokscopeError } from '../errors';
import type { StepPlan, TrainerHooks } from '../plugin';

type BeforeStepHook = TrainerHooks['beforeStep'];

/**
 * Checks what each `beforeStep` tap leaves in the plan, right after that tap, so a bad learning
 * rate or batch is an error naming the plugin that set it (install before `interceptTaps`, which
 * turns the throw into a `PluginError` naming plugin and hook), not a failure later in the step.
 * `trainSize` is the training split's size; `schedulable` whether the optimiser has a settable rate.
 */
export function checkStepPlans(hook: BeforeStepHook, trainSize: () => number, schedulable: () => boolean): void {
  hook.intercept({
    register(tap) {
      const fn = tap.fn as (plan: StepPlan) => void;
      tap.fn = (plan: StepPlan) => {
        const lr = plan.learningRate;
        const batch = plan.batch;
        fn(plan);
        if (!Object.is(plan.learningRate, lr)) {
          if (!schedulable())
            throw new GrokscopeError(
              'E_PLUGIN',
              'set the learning rate, but the optimiser has no settable learningRate; give the optimiser one, or drop the schedule',
            );
          if (!(typeof plan.learningRate === 'number' && Number.isFinite(plan.learningRate) && plan.learningRate > 0)) {
            throw new GrokscopeError(
              'E_PLUGIN',
              `set the learning rate of step ${plan.step} to ${String(plan.learningRate)}; it must be a finite number > 0`,
            );
          }
        }
        if (plan.batch !== batch && plan.batch !== null) {
          const n = trainSize();
          const b = plan.batch as unknown;
          if (!(b instanceof Int32Array) || b.length === 0 || b.some((i) => i < 0 || i >= n)) {
            throw new GrokscopeError(
              'E_PLUGIN',
              `set the batch of step ${plan.step} to something other than a non-empty Int32Array of positions 0..${n - 1} in the training split`,
            );
          }
        }
      };
      return tap;
    },
  });
}
