import * as fs from 'node:fs';
import * as path from 'node:path';
import { CayleyTableError, MAX_CAYLEY_BYTES } from './cayleyTableError';

// Reading a table file is the one thing tasks does with a file system: this module and its
// browser twin (cayleyFile.browser.ts, swapped in by package.json's "browser" field) are the only
// places that know whether there is one.

/** The path of `file` resolved from `baseDir`. */
export const resolveFrom = (baseDir: string, file: string): string => path.resolve(baseDir, file);
/** The last part of a path, less `ext` when it ends with it. */
export const baseName = (file: string, ext?: string): string => path.basename(file, ext);
/** The extension of a path, with its dot (`''` for none). */
export const extName = (file: string): string => path.extname(file);

/**
 * A Cayley table file's text, BOM removed, after checking its extension, that it is a regular
 * file (a FIFO would block forever, a device never ends) and its size. Opened non-blocking and
 * checked through the open descriptor, so the file that is checked is the file that is read.
 */
export function readCayleyText(file: string): string {
  const ext = extName(file).toLowerCase();
  if (ext !== '.json' && ext !== '.csv') {
    throw new CayleyTableError(file, 'must be a .json or .csv Cayley table (see the @grokscope/tasks README)');
  }
  const cannot = (err: unknown) =>
    new CayleyTableError(
      file,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path`,
    );
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw cannot(err);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new CayleyTableError(file, `is ${fileKind(stat)}, not a regular file; name a .json or .csv table file`);
    }
    if (stat.size > MAX_CAYLEY_BYTES) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      throw new CayleyTableError(
        file,
        `is ${mb(stat.size)}, more than the ${mb(MAX_CAYLEY_BYTES)} a Cayley table may take; check the path`,
      );
    }
    try {
      return fs.readFileSync(fd, 'utf8').replace(/^\uFEFF/, '');
    } catch (err) {
      throw cannot(err);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function fileKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
