/**
 * A Node file-system error (`EACCES: permission denied, mkdir '/x'` with a stack) as one line a
 * user can act on: what failed, on which path, why, and what to do. Such errors come from the
 * user's environment (a path that is a file, a read-only disk), not from a bug, so the CLI
 * prints this line instead of a stack.
 */
export interface NodeFileSystemError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly path: string;
  /** The second path of rename, link, copyfile. */
  readonly dest?: string;
}

export function isFileSystemError(err: unknown): err is NodeFileSystemError {
  const e = err as Partial<NodeFileSystemError> | null;
  return (
    err instanceof Error && typeof e?.code === 'string' && typeof e.syscall === 'string' && typeof e.path === 'string'
  );
}

const ACTIONS: Readonly<Record<string, string>> = {
  mkdir: 'create the folder',
  open: 'open',
  write: 'write',
  read: 'read',
  rename: 'move',
  copyfile: 'copy',
  link: 'link',
  symlink: 'link',
  unlink: 'remove',
  rmdir: 'remove the folder',
  rm: 'remove',
  scandir: 'list the folder',
  opendir: 'list the folder',
  stat: 'read',
  lstat: 'read',
  access: 'access',
  utime: 'update',
  fsync: 'write',
};

/** code → [why, how to fix]. */
const CAUSES: Readonly<Record<string, readonly [string, string]>> = {
  EEXIST: [
    'something of that name is already there (a file where a folder is needed?)',
    'choose another path, or move that file away',
  ],
  ENOTDIR: ['part of the path is a file, not a folder', 'choose a path whose folders are folders'],
  EISDIR: ['it is a folder, not a file', 'give the path of a file'],
  ENOENT: ['no such file or folder', 'check the path'],
  EACCES: ['permission denied', 'choose a location you can write to, or change its permissions'],
  EPERM: ['operation not permitted', 'choose a location you can write to, or change its permissions'],
  EROFS: ['the file system is read-only', 'choose a location on a writable disk'],
  ENOSPC: ['no space left on the device', 'free some space, or choose another disk'],
  EDQUOT: ['disk quota exceeded', 'free some space, or choose another disk'],
  EMFILE: ['too many open files', 'raise the open-file limit (ulimit -n) or run fewer processes at once'],
  ENAMETOOLONG: ['the path is too long', 'choose a shorter path'],
  EBUSY: ['it is in use', 'try again when nothing else uses it'],
};

/** `cannot create the folder /x/run: part of the path is a file, not a folder (ENOTDIR); choose a path whose folders are folders` */
export function describeFileSystemError(err: NodeFileSystemError): string {
  const action = ACTIONS[err.syscall] ?? err.syscall;
  const where = err.dest ? `${err.path} to ${err.dest}` : err.path;
  const cause = CAUSES[err.code];
  // Without a known cause, Node's own text (its first line, without the repeated path) says why.
  const why = cause
    ? cause[0]
    : err.message
        .split('\n')[0]!
        .replace(/^[A-Z]+: /, '')
        .replace(/, \w+ '.*'$/, '') || 'failed';
  return `cannot ${action} ${where}: ${why} (${err.code})${cause ? `; ${cause[1]}` : ''}`;
}
