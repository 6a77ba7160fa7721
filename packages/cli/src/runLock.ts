import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GrokscopeError } from '@grokscope/core';

/** How often the holder refreshes the lock, and when a lock nobody refreshed counts as abandoned. */
const HEARTBEAT_MS = 10_000;
const STALE_MS = 60_000;
/** How long to wait for a holder that looks alive to go away (a process killed a moment ago is still exiting). */
const GRACE_MS = 3_000;

export const LOCK_FILE = '.grokscope.lock';

/**
 * An exclusive lock on a run directory, so two processes (a sweep started twice, two shards
 * given the same index) never train the same run at once. The lock file names its holder
 * (host, pid) and is refreshed every 10 s; a lock whose process is gone (same host: no such
 * process, or a zombie) or that nobody refreshed for a minute (any host: a killed cluster job,
 * a reused pid) is taken over. Resolves to the function that releases it.
 */
export async function acquireRunLock(dir: string): Promise<() => void> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const me = JSON.stringify({ host: os.hostname(), pid: process.pid, since: new Date().toISOString() });
  const deadline = Date.now() + GRACE_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, me, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(file, err);
      const text = readText(file);
      const holder = parseHolder(text);
      if (holder && !abandoned(file, holder) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (holder && (attempt > 50 || !abandoned(file, holder))) {
        throw new GrokscopeError(
          'E_RUN_LOCKED',
          `${dir} is being trained by process ${holder.pid} on ${holder.host} (since ${holder.since}); wait for it, or stop it first. ` +
            `If no such process exists, delete ${file}.`,
        );
      }
      if (text !== null) takeOver(file, text);
    }
  }
  const timer = setInterval(() => {
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      // the directory was removed under us; nothing to refresh
    }
  }, HEARTBEAT_MS);
  timer.unref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}

interface Holder {
  readonly host: string;
  readonly pid: number;
  readonly since: string;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null; // gone meanwhile: just try again
  }
}

function parseHolder(text: string | null): Holder | null {
  try {
    return text === null ? null : (JSON.parse(text) as Holder);
  } catch {
    return null; // half-written: treat as abandoned
  }
}

function readHolder(file: string): Holder | null {
  return parseHolder(readText(file));
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

function abandoned(file: string, holder: Holder): boolean {
  try {
    if (Date.now() - fs.statSync(file).mtimeMs > STALE_MS) return true;
  } catch {
    return true;
  }
  if (holder.host !== os.hostname()) return false;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  return isZombie(holder.pid);
}

/** Linux: a killed process whose parent died too stays a zombie until init reaps it. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function lockError(file: string, cause: unknown): GrokscopeError {
  return new GrokscopeError('E_RUN_LOCKED', `cannot lock ${file}: ${(cause as Error).message}`, { cause });
}
