import type { PlannedRun } from './expandSweep';

/**
 * The order in which a sweep's workers take its runs: first the runs another run references
 * (the entropy-floor runs the norm-matched control follows), then the runs that reference
 * others, then the rest, each group in grid order. A run that references another can start
 * only when that one has ended; left in grid order, the last such pair ran one after the other
 * at the very end of the quick study while the second worker sat idle (2.5 min of one core, 1 min
 * of wall time). Taken this way, every dependent run is ready early and the short runs fill the
 * end: the study's order simulated from its own run times came within 0.1 min of the lower
 * bound, the summed run time over the workers (docs/reproduce.md § How long a study takes).
 */
export function runOrder(runs: readonly PlannedRun[]): PlannedRun[] {
  const referenced = new Set(runs.flatMap((r) => r.dependsOn));
  const rank = (r: PlannedRun) => (referenced.has(r.name) ? 0 : r.dependsOn.length > 0 ? 1 : 2);
  return runs
    .map((run, i) => ({ run, i }))
    .sort((a, b) => rank(a.run) - rank(b.run) || a.i - b.i)
    .map((x) => x.run);
}
