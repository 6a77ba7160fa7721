// The messages between the lab's page and its training worker.
import type { MetricsRecord } from '@grokscope/core/browser';

/** Page → worker. */
export type ToWorker =
  | {
      readonly type: 'start';
      readonly config: Record<string, unknown>;
      /** The backend to train on: wasm (the CLI's numerics) or cpu. */
      readonly backend: string;
      /** The norm-matched control's reference: the records of the run it follows. */
      readonly reference?: readonly MetricsRecord[];
      /** Package versions for the manifest (the page knows them from its bundle). */
      readonly versions: Readonly<Record<string, string>>;
    }
  | {
      /** Trains `config` for a few steps on each backend, for the page's label: none of it is a run. */
      readonly type: 'benchmark';
      readonly config: Record<string, unknown>;
      readonly backends: readonly string[];
    }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' };

/** How a run ended, as summary.json says it. */
export interface LabEnd {
  readonly status: string;
  readonly step: number;
  readonly reason?: string;
  readonly events: { readonly memorised: number | null; readonly grokked: number | null };
}

/** Worker → page. */
export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string }
  | { readonly type: 'progress'; readonly step: number; readonly totalSteps: number; readonly msPerStep: number }
  | { readonly type: 'evaluation'; readonly record: MetricsRecord }
  | { readonly type: 'measured'; readonly backend: string; readonly msPerStep: number | null; readonly error?: string }
  | { readonly type: 'paused'; readonly step: number }
  | { readonly type: 'resumed'; readonly step: number }
  | { readonly type: 'done'; readonly end: LabEnd; readonly files: Record<string, string>; readonly msPerStep: number }
  | { readonly type: 'failed'; readonly message: string; readonly files: Record<string, string> };
