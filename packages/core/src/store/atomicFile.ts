import * as fs from 'node:fs';
import * as path from 'node:path';
import { StorageError } from '../errors';

/**
 * Writes a file so that a crash leaves either the old or the new content: temp file, every byte
 * written, fsync, rename, fsync the folder. A failed write (a full disk) removes the temp file
 * and throws a `StorageError`; the old file is untouched (docs/reliability.md).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}${TMP_SUFFIX}`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      writeAll(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // a read-only disk refuses even this (EROFS before the name is looked up): the write's own error is the one to report
    }
    throw storageError(file, err);
  }
  syncDir(dir);
}

/**
 * Appends text and fsyncs, so a logged line survives kill -9. A write that fails part-way (a full
 * disk) is cut back to the file's previous length, so no torn line stays behind, and throws.
 */
export function appendDurable(file: string, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let fd: number | undefined;
  let before = 0;
  try {
    fd = fs.openSync(file, 'a');
    before = fs.fstatSync(fd).size;
    writeAll(fd, bytes);
    fs.fsyncSync(fd);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.ftruncateSync(fd, before);
      } catch {
        // nothing more we can do; the reader drops a torn last line
      }
    }
    throw storageError(file, err);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The suffix of files `writeFileAtomic` writes before renaming them (a kill leaves them behind). */
export const TMP_SUFFIX = '.tmp';

/** Removes temp files a killed writer left in `dir` (call only while holding the run's lock). */
export function removeStaleTempFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const stale = fs.readdirSync(dir).filter((f) => f.startsWith('.') && f.endsWith(TMP_SUFFIX));
  for (const f of stale) fs.rmSync(path.join(dir, f), { force: true });
  return stale;
}

/**
 * `fs.writeSync` may write fewer bytes than asked (a nearly full disk, a signal): loop until every
 * byte is written. A write that makes no progress is a full disk.
 */
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    const n = fs.writeSync(fd, bytes, offset, bytes.length - offset);
    if (n <= 0)
      throw Object.assign(new Error('no space left on device (a write made no progress)'), { code: 'ENOSPC' });
    offset += n;
  }
}

function storageError(file: string, err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as NodeJS.ErrnoException;
  return new StorageError(file, e.code ?? 'EIO', e.message, { cause: err });
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
