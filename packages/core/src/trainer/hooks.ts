import { AsyncSeriesHook, SyncBailHook, SyncHook, SyncWaterfallHook } from 'tapable';
import type { Evaluation, ForwardRequest, LossTerms, PluginHost, RunEnd, StepContext } from '../plugin';
import type { StepInfo, StepPlan, TrainerHooks } from '../plugin';
import type { NamedGradients } from '../optim/optimizer';

export type { StepInfo, StepPlan, TrainerHooks };

/**
 * Every extension point of the trainer, in the order a run meets them. Hooks may change the
 * run; to only observe, listen on `trainer.events`. Anything on the per-step path is Sync
 * because it runs inside `tf.tidy` and the gradient tape.
 */
export function createHooks(): TrainerHooks {
  return Object.freeze({
    /** Once, before anything runs: validate options (named errors), load references, allocate. */
    setup: new AsyncSeriesHook<[PluginHost]>(['host']),
    /** Before each optimiser step, outside the tape: schedules and sampling, by setting the plan's `learningRate` and `batch` (positions in the training split). */
    beforeStep: new SyncHook<[StepPlan]>(['plan']),
    /** Inside the tape, before the forward pass: ask for tap points or rewrite one (training-only interventions). */
    forward: new SyncWaterfallHook<[ForwardRequest, StepInfo]>(['request', 'step']),
    /** Inside the tape, after the forward pass: named loss terms, starting with `crossEntropy`; regularisers add theirs. Their sum is minimised. */
    loss: new SyncWaterfallHook<[LossTerms, StepContext]>(['terms', 'context']),
    /** After the gradients are computed, before the update: clip or filter them (return the map). */
    gradients: new SyncWaterfallHook<[NamedGradients, StepInfo]>(['gradients', 'step']),
    /** After the optimiser update: act on parameters (e.g. norm-matched rescaling). */
    afterStep: new SyncHook<[StepInfo]>(['step']),
    /** Every `evalEvery` steps (and at step 0 and the last step): probes add metrics to the record; order with `EvalStage`. */
    evaluate: new AsyncSeriesHook<[Evaluation]>(['evaluation']),
    /** After each evaluation: the first plugin that returns a reason ends the run (status `stopped`). */
    shouldStop: new SyncBailHook<[Evaluation], string | undefined>(['evaluation']),
    /** Once, at the end, however the run ended: completed, stopped, interrupted or failed. */
    done: new AsyncSeriesHook<[RunEnd]>(['end']),
  });
}
