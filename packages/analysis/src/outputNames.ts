import { createHash } from 'node:crypto';
import * as path from 'node:path';

/**
 * File names (without extension) for `labels`, safe on every file system and unique even where
 * making them safe would merge two (`a/b` and `a_b`): a clash gets a short hash of its directory.
 */
export function outputNames(runs: readonly { readonly label: string; readonly dir: string }[]): string[] {
  const safe = runs.map((r) => r.label.replace(/[^A-Za-z0-9._=,-]+/g, '_'));
  const count = new Map<string, number>();
  for (const s of safe) count.set(s.toLowerCase(), (count.get(s.toLowerCase()) ?? 0) + 1);
  return safe.map((s, i) =>
    count.get(s.toLowerCase())! > 1
      ? `${s}-${createHash('sha1').update(path.resolve(runs[i]!.dir)).digest('hex').slice(0, 8)}`
      : s,
  );
}
