import * as fs from 'node:fs';
import * as path from 'node:path';
import { GrokscopeError } from '@grokscope/core';

/**
 * Kernel pseudo file systems (statfs f_type): not storage. Node's recursive mkdir spins forever
 * in /proc (mkdir there keeps failing with ENOENT), so these are refused before anything is created.
 */
const PSEUDO_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
]);

/**
 * Checks up front that an output folder (`--out`) can be used, so a path that is a file, a
 * read-only or unwritable parent, or a pseudo file system gives one clear line (exit 2) before
 * a lock is taken or anything is written — rather than a raw Node error half-way. Creates
 * nothing. `flag` is how the user gave the path, for the message.
 */
export function checkOutputDir(dir: string, flag = '--out'): void {
  const target = path.resolve(dir);
  // The folder itself if it exists, else its nearest existing ancestor (where mkdir will write).
  let existing = target;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const fail = (why: string, fix: string): never => {
    throw new GrokscopeError('E_FS', `${flag} ${target}: ${why}; ${fix}`);
  };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(existing);
  } catch {
    return; // vanished meanwhile: the write itself will say what is wrong
  }
  if (!stat.isDirectory()) {
    if (existing === target)
      fail('is a file, not a folder', `give ${flag} a folder (new or existing), or move that file away`);
    fail(`${existing} is a file, not a folder, so no folder can be made inside it`, `choose another ${flag}`);
  }
  const pseudo = pseudoFileSystem(existing);
  if (pseudo)
    fail(`${existing} is on the ${pseudo} file system (kernel state, not storage)`, `choose a folder on a disk`);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS') fail(`${existing} is on a read-only file system`, `choose ${flag} on a writable disk`);
    if (code === 'EACCES' || code === 'EPERM')
      fail(
        `${existing} is not writable by this user (permission denied)`,
        `choose ${flag} you can write to, or change its permissions`,
      );
    throw err;
  }
}

function pseudoFileSystem(dir: string): string | undefined {
  if (process.platform !== 'linux') return undefined; // the magic numbers are Linux's
  try {
    return PSEUDO_FILE_SYSTEMS.get(Number(fs.statfsSync(dir).type));
  } catch {
    return undefined; // statfs unsupported here (not Linux): nothing to refuse
  }
}
