import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from './containedFile';

/**
 * The file under `roots[rootIndex]` that a request for `/files/<rootIndex>/<segments…>` names,
 * or null — the server answers 404 — when it is not a regular file inside that folder: `..` or
 * `.` segments (also percent-encoded, or hidden in an encoded slash or backslash), NUL bytes, a
 * symbolic link that leads out of the folder, folders, and anything missing.
 * `rawSegments` are the path's segments as sent, still percent-encoded.
 */
export function servedFile(roots: readonly string[], rootIndex: string, rawSegments: readonly string[]): string | null {
  if (!/^\d+$/.test(rootIndex)) return null;
  const root = roots[Number(rootIndex)];
  if (root === undefined || rawSegments.length === 0) return null;
  const parts: string[] = [];
  for (const raw of rawSegments) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null; // malformed escape
    }
    if (seg === '' || seg === '.' || seg === '..' || /[/\\\0]/.test(seg)) return null;
    parts.push(seg);
  }
  const wanted = path.resolve(root, ...parts);
  if (!isInside(wanted, path.resolve(root))) return null;
  let real: string;
  let realRoot: string;
  try {
    real = fs.realpathSync(wanted);
    realRoot = fs.realpathSync(root);
  } catch {
    return null;
  }
  if (!isInside(real, realRoot)) return null; // a link out of the tree
  try {
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}
