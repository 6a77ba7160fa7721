/**
 * Directory paths as strings, without `node:path`, so that run sets can be labelled and
 * de-duplicated in a browser too. On POSIX `resolveDir` is `path.resolve`: a relative path is
 * taken from the working directory where there is one (Node), else kept relative; `.` and `..`
 * are folded. Both separators are read, so Windows paths split as `path.win32` would.
 */
export function resolveDir(dir: string): string {
  const cwd = (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();
  const absolute = /^([A-Za-z]:)?[\\/]/.test(dir);
  const full = absolute || cwd === undefined ? dir : `${cwd}/${dir}`;
  const root = /^([A-Za-z]:)?[\\/]/.exec(full)?.[0].replace('\\', '/') ?? '';
  const parts: string[] = [];
  for (const p of full.slice(root.length).split(/[\\/]+/)) {
    if (p === '' || p === '.') continue;
    if (p === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (p !== '..' || root === '') parts.push(p);
  }
  return root + parts.join('/') || '.';
}

/** The names along a directory path (after `resolveDir`), root first. */
export function dirParts(dir: string): string[] {
  return resolveDir(dir)
    .split(/[\\/]+/)
    .filter((p) => p !== '');
}
