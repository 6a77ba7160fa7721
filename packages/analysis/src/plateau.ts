import { runEvents, type EventOptions } from './events';
import { METRIC_TAGS } from '@grokscope/base';
import type { RunRecord } from './runReader';

/** Grokking, not a slow climb: test accuracy gains less than this share of its rise in the first half of [t_mem, t_grok]. */
export const PLATEAU_MAX_SHARE = 0.25;

export interface PlateauResult {
  /** Test accuracy at t_mem, at the first evaluation at or past the midpoint of [t_mem, t_grok], and at t_grok. */
  readonly atMem: number;
  readonly atMid: number;
  readonly atGrok: number;
  /** (atMid − atMem) / (atGrok − atMem): the share of the rise already made halfway. */
  readonly share: number;
  /** share < PLATEAU_MAX_SHARE. */
  readonly plateaued: boolean;
}

/**
 * Did test accuracy plateau after memorisation and then jump? A run that memorises and then
 * generalises steadily is delayed generalisation, not grokking; this criterion tells them
 * apart (docs/science.md). Null for a run that did not both memorise and grok, or
 * grokked no later than it memorised.
 */
export function plateauCriterion(records: readonly RunRecord[], o: EventOptions = {}): PlateauResult | null {
  const { tMem, tGrok } = runEvents(records, o);
  if (tMem === null || tGrok === null || tGrok <= tMem) return null;
  const acc = (r: RunRecord | undefined) => r?.metrics[METRIC_TAGS.accuracyTest];
  const atMem = acc(records.find((r) => r.step === tMem));
  const atGrok = acc(records.find((r) => r.step === tGrok));
  const atMid = acc(records.find((r) => r.step >= (tMem + tGrok) / 2));
  if (atMem === undefined || atGrok === undefined || atMid === undefined || atGrok <= atMem) return null;
  const share = (atMid - atMem) / (atGrok - atMem);
  return { atMem, atMid, atGrok, share, plateaued: share < PLATEAU_MAX_SHARE };
}
