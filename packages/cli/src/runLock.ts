import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GrokscopeError, type WriteGuard } from '@grokscope/core';

/**
 * How often the holder refreshes the lock file's time. Only a lock from another host is judged
 * by that time: there we cannot ask whether the process lives.
 */
const HEARTBEAT_MS = 10_000;
/** A lock from another host not refreshed for this long counts as abandoned (a killed cluster job). */
const STALE_MS = 60_000;
/** How long to wait for a holder that looks alive to go away (a process killed a moment ago is still exiting). */
const GRACE_MS = 3_000;
/** A lock file that does not parse is being written right now — or was cut short long ago, if older than this. */
const UNREADABLE_MS = 5_000;
/** Tries at creating the lock file; each failed try either waits (live holder) or removes an abandoned lock. */
const MAX_ATTEMPTS = 100;

export const LOCK_FILE = '.grokscope.lock';

/** What a lock file records about its holder. */
export interface LockHolder {
  readonly host: string;
  readonly pid: number;
  /** The holder's start time (Linux: /proc/PID/stat field 22, clock ticks after boot), so a reused pid is not mistaken for it; null where unknown. */
  readonly start: string | null;
  /** The host's boot id (Linux): after a reboot no process of the old boot lives. */
  readonly bootId: string | null;
  /** Random per acquisition: `assertHeld` checks the file still names this one. */
  readonly token: string;
  readonly since: string;
}

/** A held run lock: `assertHeld` is the write guard the run store calls before every write. */
export interface RunLock extends WriteGuard {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it still names this holder; idempotent. */
  release(): void;
}

/** Tokens of the locks this process holds, so it can tell its own live locks from ones a previous use of its pid left. */
const heldTokens = new Set<string>();

/**
 * An exclusive lock on a run directory, so two processes (a sweep started twice, two shards
 * given the same index) never train the same run at once. The lock file names its holder
 * (host, pid, the process's start time, a random token). On this host, liveness is decided by
 * the process alone — a stopped (Ctrl-Z) or busy holder keeps its lock however long ago the
 * file was touched; it is taken over only when the pid is gone, a zombie, or now belongs to
 * another process (a different start time). A lock from another host (a shared volume) can
 * only be judged by age: not refreshed for a minute, it is taken over — and the stale owner,
 * should it wake up, fails its next `assertHeld` instead of writing into the run.
 *
 * Every wait is bounded: a live holder for 3 s, then E_RUN_LOCKED; a folder that cannot hold
 * the lock (a read-only or virtual file system such as /proc) fails at once with E_FS.
 */
export async function acquireRunLock(dir: string): Promise<RunLock> {
  makeDirs(path.resolve(dir));
  const file = path.join(path.resolve(dir), LOCK_FILE);
  const me: LockHolder = {
    host: os.hostname(),
    pid: process.pid,
    start: processStart(process.pid),
    bootId: bootId(),
    token: randomBytes(12).toString('hex'),
    since: new Date().toISOString(),
  };
  const text = JSON.stringify(me);
  const deadline = Date.now() + GRACE_MS;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (tryCreate(file, text)) return held(file, me);
    const seen = readText(file);
    if (seen === null) continue; // released meanwhile: try again
    const verdict = judge(file, seen);
    if (verdict.live) {
      const holder = verdict.holder;
      if (Date.now() >= deadline || holder?.pid === process.pid) throw lockedError(dir, holder);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    takeOver(file, seen);
  }
  throw new GrokscopeError(
    'E_RUN_LOCKED',
    `could not lock ${dir}: after ${MAX_ATTEMPTS} tries ${file} keeps changing (other processes are locking this run at the same time); run the same command again`,
  );
}

/**
 * Who is training the run in `dir` right now: the live holder of its lock, or null when nobody
 * is (no lock, or one whose holder is gone). Used by `sweep` and `forecast --follow`.
 */
export function lockHolder(dir: string): LockHolder | null {
  const file = path.join(dir, LOCK_FILE);
  const text = readText(file);
  if (text === null) return null;
  const verdict = judge(file, text);
  return verdict.live ? verdict.holder : null;
}

/** "process 123 on host-a (since …)" */
export function describeHolder(h: LockHolder): string {
  return `process ${h.pid} on ${h.host} (since ${h.since})`;
}

function held(file: string, me: LockHolder): RunLock {
  heldTokens.add(me.token);
  let released = false;
  let beat = Date.now();
  const stillMine = () => parseHolder(readText(file))?.token === me.token;
  const touch = () => {
    beat = Date.now();
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      // the directory was removed under us; assertHeld reports that
    }
  };
  // Keeps the time fresh for readers on other hosts, but never touches a lock that is no longer ours.
  const timer = setInterval(() => {
    if (stillMine()) touch();
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    file,
    holder: me,
    assertHeld() {
      // One small read per write (writes come at evaluation cadence): cheap next to an evaluation.
      const now = parseHolder(readText(file));
      if (released || now?.token !== me.token) throw lostError(file, released, now);
      // A long synchronous stretch can starve the timer: refresh here too.
      if (Date.now() - beat >= HEARTBEAT_MS) touch();
    },
    release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      heldTokens.delete(me.token);
      if (!stillMine()) return;
      try {
        fs.rmSync(file, { force: true });
      } catch (err) {
        // A disk that turned read-only (the very error that ended the run, most likely) must not
        // replace that error: the lock stays, and names a process that is gone, which the next
        // run on this host takes over (another host's, after STALE_MS).
        const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        process.stderr.write(
          `warning: could not remove the lock file ${file} (${why}); the next run takes it over, as this process has ended\n`,
        );
      }
    },
  };
}

/** Creates the lock file only if there is none (O_EXCL, atomic on local disks and NFS v3+). */
function tryCreate(file: string, text: string): boolean {
  try {
    fs.writeFileSync(file, text, { flag: 'wx' });
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw storageError(file, code, (err as Error).message);
  }
}

/**
 * Creates `dir` and its parents one level at a time. Not `mkdirSync(…, { recursive: true })`:
 * on a virtual file system (/proc) mkdir fails with ENOENT although the parent exists, and
 * Node's recursive mkdir then retries forever at 100% CPU.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !isDir(d); d = path.dirname(d)) {
    if (fs.existsSync(d)) throw storageError(d, 'ENOTDIR', 'it exists and is not a folder');
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && isDir(d)) continue; // created by another process meanwhile
      const detail =
        code === 'ENOENT' && isDir(path.dirname(d))
          ? `the file system refuses new folders in ${path.dirname(d)} (a virtual file system such as /proc or /sys)`
          : (err as Error).message;
      throw storageError(d, code, detail);
    }
  }
}

function isDir(d: string): boolean {
  try {
    return fs.statSync(d).isDirectory();
  } catch {
    return false;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null; // gone meanwhile
  }
}

function parseHolder(text: string | null): LockHolder | null {
  if (text === null) return null;
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.host !== 'string' || !Number.isInteger(h.pid)) return null;
    // Locks written by older versions have no start, boot id or token: judged by pid alone.
    return {
      host: h.host,
      pid: h.pid!,
      start: h.start ?? null,
      bootId: h.bootId ?? null,
      token: h.token ?? '',
      since: h.since ?? '?',
    };
  } catch {
    return null;
  }
}

type Verdict = { live: true; holder: LockHolder | null } | { live: false };

/** Whether the lock whose content is `text` still has a live holder (see acquireRunLock). */
function judge(file: string, text: string): Verdict {
  const holder = parseHolder(text);
  const ageMs = () => {
    try {
      return Date.now() - fs.statSync(file).mtimeMs;
    } catch {
      return Infinity; // gone: nobody holds it
    }
  };
  // O_EXCL creates the file before its content lands: an unreadable lock is usually being written.
  if (holder === null) return ageMs() < UNREADABLE_MS ? { live: true, holder: null } : { live: false };
  if (holder.host !== os.hostname()) return ageMs() <= STALE_MS ? { live: true, holder } : { live: false };
  if (holder.bootId !== null && bootId() !== null && holder.bootId !== bootId()) return { live: false };
  if (holder.pid === process.pid) return heldTokens.has(holder.token) ? { live: true, holder } : { live: false };
  return processAlive(holder.pid, holder.start) ? { live: true, holder } : { live: false };
}

/**
 * On this host: the process exists, is not a zombie, and (where both are known) started when
 * the lock says — otherwise the pid was reused by an unrelated process.
 */
function processAlive(pid: number, start: string | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: no such process
  }
  const stat = procStat(pid);
  if (stat === null) return true; // no /proc (not Linux, or hidden): the pid is all we can check
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return start === null || stat.start === start;
}

/** Linux /proc/PID/stat: state (field 3) and start time (field 22); the name (field 2) may hold spaces and parentheses. */
function procStat(pid: number): { state: string; start: string } | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, start: fields[19]! };
  } catch {
    return null;
  }
}

function processStart(pid: number): string | null {
  return procStat(pid)?.start ?? null;
}

let cachedBootId: string | null | undefined;
function bootId(): string | null {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      cachedBootId = null;
    }
  }
  return cachedBootId;
}

/**
 * Removes an abandoned lock — only the one judged abandoned: it is moved aside first, and put
 * back if another process replaced it meanwhile with a fresh lock of its own.
 */
function takeOver(file: string, abandonedText: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return; // someone else moved it first
  }
  if (readText(aside) !== abandonedText) {
    try {
      fs.linkSync(aside, file); // not the lock we judged: restore it (unless yet another lock appeared)
    } catch {
      // a newer lock is in place; the loop sees it
    }
  }
  fs.rmSync(aside, { force: true });
}

function lockedError(dir: string, holder: LockHolder | null): GrokscopeError {
  const who = holder ? describeHolder(holder) : 'another process (its lock file is being written)';
  const remote =
    holder && holder.host !== os.hostname()
      ? ` If that job is dead, the lock is taken over once it is ${STALE_MS / 1000} s old.`
      : '';
  return new GrokscopeError(
    'E_RUN_LOCKED',
    `${dir} is being trained by ${who}; wait for it to finish (or stop it), then run the same command again to resume.${remote}`,
  );
}

function lostError(file: string, released: boolean, now: LockHolder | null): GrokscopeError {
  const dir = path.dirname(file);
  if (released || now) {
    const why = released ? 'this process released it' : `${file} now names ${describeHolder(now!)}`;
    return new GrokscopeError(
      'E_RUN_LOCKED',
      `lost the lock on ${dir} (${why}); stopped before writing, so two trainers never mix records. ` +
        'Let the new holder finish, or stop it and run the same command again to resume',
    );
  }
  // Nobody else holds the run: its lock file, or the whole folder, was removed by hand or by a
  // cleanup job. Not "locked" (exit 75 says: try again later, someone is training it).
  return runRemovedError(dir);
}

/**
 * The run's folder, or its lock file, was removed while this process trained it (E_RUN_REMOVED,
 * exit 1). Written records went with the folder; with only the lock gone, they are intact.
 */
export function runRemovedError(dir: string, cause?: unknown): GrokscopeError {
  const message = fs.existsSync(dir)
    ? `the lock file of ${dir} was removed while this process trained the run (nobody else holds it); stopped before ` +
      'writing, as another trainer could now start. Run the same command again to resume from the last checkpoint'
    : `the run folder ${dir} was removed while this process trained it; stopped, as there is nowhere left to write. ` +
      'Run the same command again to train the run from the start';
  return new GrokscopeError('E_RUN_REMOVED', message, cause === undefined ? undefined : { cause });
}

/** A folder or lock file that cannot be created: one line naming it, the reason, and what to do (E_FS, like checkOutputDir). */
function storageError(p: string, code: string | undefined, detail: string): GrokscopeError {
  return new GrokscopeError(
    'E_FS',
    `cannot create ${p} (${code ?? 'error'}: ${detail.replace(/^[A-Z]+: /, '')}); choose another --out`,
  );
}
