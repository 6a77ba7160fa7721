/**
 * File-system problems are named up front (checkOutputDir) or, when they surface later as raw
 * Node errors, turned into one line (describeFileSystemError). Pure logic against src; a
 * read-only disk is simulated by the error it gives, since root can write through chmod.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GrokscopeError } from '@grokscope/core';
import { checkOutputDir } from '../src/checkOutputDir';
import { describeFileSystemError, isFileSystemError } from '../src/fileSystemError';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-out-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => jest.restoreAllMocks());

/** What a Node fs call throws: code, syscall, path and Node's message. */
function nodeError(code: string, syscall: string, file: string, text: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${text}, ${syscall} '${file}'`), { code, syscall, path: file, errno: -1 });
}

function fsError(f: () => unknown): GrokscopeError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(GrokscopeError);
    expect((err as GrokscopeError).code).toBe('E_FS');
    return err as GrokscopeError;
  }
  throw new Error('expected an E_FS error, nothing was thrown');
}

test('an --out that is a file, or inside a file, is refused with the path and the fix', () => {
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, 'x');
  expect(fsError(() => checkOutputDir(file)).message).toBe(
    `--out ${file}: is a file, not a folder; give --out a folder (new or existing), or move that file away`,
  );
  expect(fsError(() => checkOutputDir(path.join(file, 'run'))).message).toMatch(
    /a-file is a file, not a folder, so no folder can be made inside it; choose another --out$/,
  );
});

test('a new or existing folder on a writable disk passes, and nothing is created', () => {
  expect(() => checkOutputDir(dir)).not.toThrow();
  expect(() => checkOutputDir(path.join(dir, 'new', 'deeper'))).not.toThrow();
  expect(fs.existsSync(path.join(dir, 'new'))).toBe(false);
});

test('a read-only or unwritable parent is refused before anything is written', () => {
  // The module object itself (an `import * as` namespace is read-only); checkOutputDir reads through to it.
  const access = jest.spyOn(require('node:fs') as typeof fs, 'accessSync').mockImplementation((p) => {
    throw nodeError('EROFS', 'access', String(p), 'read-only file system');
  });
  expect(fsError(() => checkOutputDir(path.join(dir, 'run'))).message).toBe(
    `--out ${path.join(dir, 'run')}: ${dir} is on a read-only file system; choose --out on a writable disk`,
  );
  access.mockImplementation((p) => {
    throw nodeError('EACCES', 'access', String(p), 'permission denied');
  });
  expect(fsError(() => checkOutputDir(dir)).message).toMatch(
    /is not writable by this user \(permission denied\); choose --out you can write to/,
  );
});

test('the proc file system is refused (mkdir -p would spin there forever)', () => {
  if (process.platform !== 'linux' || !fs.existsSync('/proc/self')) return;
  expect(fsError(() => checkOutputDir('/proc/grokscope/run')).message).toMatch(/\/proc is on the proc file system/);
});

test('a raw Node file-system error becomes one line: what failed, the path, why, how to fix', () => {
  const erofs = nodeError('EROFS', 'mkdir', '/mnt/ro/run', 'read-only file system');
  expect(isFileSystemError(erofs)).toBe(true);
  expect(describeFileSystemError(erofs as never)).toBe(
    'cannot create the folder /mnt/ro/run: the file system is read-only (EROFS); choose a location on a writable disk',
  );
  expect(describeFileSystemError(nodeError('EACCES', 'open', '/r/report.md', 'permission denied') as never)).toBe(
    'cannot open /r/report.md: permission denied (EACCES); choose a location you can write to, or change its permissions',
  );
  // An unlisted code keeps Node's reason, without repeating the path.
  expect(describeFileSystemError(nodeError('EXDEV', 'rename', '/a', 'cross-device link not permitted') as never)).toBe(
    'cannot move /a: cross-device link not permitted (EXDEV)',
  );
  expect(isFileSystemError(new Error('plain'))).toBe(false);
  expect(isFileSystemError(Object.assign(new Error('EPIPE'), { code: 'EPIPE', syscall: 'write' }))).toBe(false); // no path: not about a file
});
