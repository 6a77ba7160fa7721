import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The real path of `file` (links followed) when it lies inside `root` (links followed too), so
 * that reading it reads a file of the dashboard's folders; an Error saying what is wrong when a
 * link leads out of them. `/files/…` refuses such links (servedFile); every read of a run's
 * files (manifest.json, summary.json, metrics.jsonl, a study's report.json) goes through here
 * so that `/api/…` cannot serve, or quote in an error, what `/files/…` would refuse. A missing
 * file throws the file system's own ENOENT error, which callers already treat as "not there".
 */
export function containedFile(file: string, root: string): string {
  const real = fs.realpathSync(file);
  if (!isInside(real, realRoot(root))) {
    throw new Error(
      "is a link out of the dashboard's folders; not read (it reads only under the folders it was given)",
    );
  }
  return real;
}

export function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root); // the folder went away: nothing real is inside it
  }
}
