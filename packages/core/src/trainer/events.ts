import type { MetricsRecord } from '../plugin';

export type RunStatus = 'completed' | 'stopped' | 'interrupted' | 'failed';

/** How a run ended, as data. */
export interface RunEnd {
  readonly status: RunStatus;
  readonly step: number;
  /** Why it stopped (a `shouldStop` reason, the signal, or the error message). */
  readonly reason?: string;
  readonly error?: Error;
  readonly events: { readonly memorised: number | null; readonly grokked: number | null };
}

/** Observer events (eventemitter3): listeners only watch; to change the run, tap a hook. */
export interface TrainerEvents {
  /** After every optimiser step, with the summed training loss. */
  step: (e: { step: number; totalSteps: number; loss: number }) => void;
  /** After each evaluation record is complete and logged. */
  evaluation: (record: MetricsRecord) => void;
  /** A checkpoint was written. */
  checkpoint: (e: { step: number; path: string }) => void;
  /** Human-readable messages (warnings on recovery, resume notices). */
  log: (e: { level: 'info' | 'warn'; message: string }) => void;
  /** The run ended, however it ended. */
  done: (end: RunEnd) => void;
  /** The run failed; `done` follows with status `failed`. */
  error: (err: Error) => void;
}
