/**
 * What happens when the reader of stdout goes away (`grokscope train --json | head`): writing
 * then fails with EPIPE. For a command with work in flight that is an interruption like Ctrl-C —
 * the run must checkpoint and the process exit non-zero, not quit at once with status 0 — so
 * `main()` reports the closed stdout here and a command that can stop cleanly subscribes.
 */
type Listener = () => void;

const listeners = new Set<Listener>();
let closed = false;

/** True once stdout's reader has gone: nothing written to stdout reaches anyone. */
export function stdoutClosed(): boolean {
  return closed;
}

/**
 * Calls `fn` once when stdout closes (at once if it already has). Returns the function that
 * unsubscribes.
 */
export function onStdoutClosed(fn: Listener): () => void {
  if (closed) {
    fn();
    return () => {};
  }
  listeners.add(fn);
  return () => void listeners.delete(fn);
}

/**
 * Records that stdout closed and tells the subscribers. From then on writes to stdout are
 * dropped: they could only fail again, and a second 'error' on a destroyed stream would crash
 * the process mid-checkpoint. Returns whether anyone was listening (if not, there is nothing to
 * stop cleanly and the caller may simply exit).
 */
export function markStdoutClosed(): boolean {
  if (closed) return true;
  closed = true;
  process.stdout.write = ((_chunk: unknown, encodingOrDone?: unknown, done?: unknown) => {
    const cb = typeof encodingOrDone === 'function' ? encodingOrDone : done;
    if (typeof cb === 'function') process.nextTick(cb as () => void);
    return true;
  }) as typeof process.stdout.write;
  const handled = listeners.size > 0;
  for (const fn of [...listeners]) fn();
  listeners.clear();
  return handled;
}
