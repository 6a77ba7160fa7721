/**
 * How a run ended, as `summary.json` records it (docs/run-format.md § summary.json):
 * `completed` at its step cap, `stopped` by a stop rule, `interrupted` (a signal; resumable),
 * `failed` (an error).
 */
export const RUN_STATUSES = ['completed', 'stopped', 'interrupted', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * Statuses of a run that ended on its own terms: up to its step cap, or by a stop rule. Readers
 * that do not know the cap (analysis) count these as finished; a run only writes `completed`
 * at its cap.
 */
export const FINISHED_STATUSES: readonly RunStatus[] = Object.freeze(['completed', 'stopped'] as const);

/**
 * Whether a run has nothing left to do for a step cap of `cap`: its summary says `stopped` (a
 * stop rule ended it; resuming would train past where it chose to stop), or `completed` at
 * `cap` steps or more. A run completed at a smaller cap is unfinished for a larger one.
 */
export function isFinished(
  summary: { readonly status: string; readonly steps: number } | null | undefined,
  cap: number,
): boolean {
  if (!summary) return false;
  return summary.status === 'stopped' || (summary.status === 'completed' && summary.steps >= cap);
}
