/**
 * The training loop's heartbeat, read by the thread watchdog (threadWatchdog.ts, Node only). It
 * lives apart from the watchdog so that the trainer beats without importing `node:worker_threads`:
 * until a watchdog arms it, a beat is a no-op (the browser, single-threaded runs).
 */

// The shared heartbeat: [0] time of the last beat in ms since the epoch, [1] the step it was at,
// [2] 1 while armed. BigInt64 so that Atomics can read and write every slot whole.
export const LAST = 0;
export const STEP = 1;
export const ARMED = 2;
let beat: BigInt64Array | null = null;

/** Whether a watchdog holds the heartbeat (one per process). */
export function heartbeatArmed(): boolean {
  return beat !== null;
}

/** The watchdog hands the loop the memory it watches. */
export function useHeartbeat(shared: BigInt64Array): void {
  beat = shared;
}

/** The loop reached `step` (a step, an evaluation or a checkpoint finished): arms the watchdog, resets its clock. */
export function heartbeat(step: number): void {
  if (!beat) return;
  Atomics.store(beat, LAST, BigInt(Date.now()));
  Atomics.store(beat, STEP, BigInt(step));
  Atomics.store(beat, ARMED, 1n);
}

/** The run ended (or is not training yet): the watchdog waits for the next run's first beat. */
export function disarmHeartbeat(): void {
  if (beat) Atomics.store(beat, ARMED, 0n);
}
