import * as fs from 'node:fs';
import * as path from 'node:path';
import { servedFile } from '../src/servedFile';
import { tmpDir } from './runFixtures';

describe('servedFile: only regular files inside the given folders', () => {
  const base = tmpDir();
  const root = path.join(base, 'runs');
  fs.mkdirSync(path.join(root, 'a'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a', 'run.svg'), '<svg/>');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside');
  fs.mkdirSync(path.join(base, 'runs-other'));
  fs.writeFileSync(path.join(base, 'runs-other', 'x.txt'), 'sibling with a common prefix');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'a', 'out-file'));
  fs.symlinkSync(base, path.join(root, 'out-dir'));
  fs.symlinkSync(path.join(root, 'a', 'run.svg'), path.join(root, 'inside-link.svg'));
  const roots = [root];
  const seg = (p: string) => p.split('/');

  it('serves a file under the folder', () => {
    expect(servedFile(roots, '0', seg('a/run.svg'))).toBe(fs.realpathSync(path.join(root, 'a', 'run.svg')));
    expect(servedFile(roots, '0', seg('a%2Frun.svg'.replace('%2F', '/')))).not.toBeNull();
  });

  it('follows a link that stays inside the folder', () => {
    expect(servedFile(roots, '0', ['inside-link.svg'])).toBe(fs.realpathSync(path.join(root, 'a', 'run.svg')));
  });

  it.each([
    ['..', '../secret.txt'],
    ['. segment', './a/run.svg'],
    ['encoded ..', '%2e%2e/secret.txt'],
    ['upper-case encoded ..', '%2E%2E/secret.txt'],
    ['encoded slash', '..%2Fsecret.txt'],
    ['encoded slash inside', 'a%2F..%2F..%2Fsecret.txt'],
    ['encoded backslash', '..%5Csecret.txt'],
    ['double-encoded', '%252e%252e/secret.txt'],
    ['NUL byte', 'a/run.svg%00.png'],
    ['malformed escape', 'a/%E0%A4%A'],
    ['empty segment', 'a//run.svg'],
    ['a link to a file outside', 'a/out-file'],
    ['a file through a link to a folder outside', 'out-dir/secret.txt'],
    ['a sibling folder sharing the prefix', '../runs-other/x.txt'],
    ['a folder', 'a'],
    ['a missing file', 'a/missing.svg'],
  ])('refuses %s (%s)', (_, p) => {
    expect(servedFile(roots, '0', seg(p))).toBeNull();
  });

  it('refuses a root index that is not one of the folders', () => {
    expect(servedFile(roots, '1', ['a', 'run.svg'])).toBeNull();
    expect(servedFile(roots, '-1', ['a', 'run.svg'])).toBeNull();
    expect(servedFile(roots, '0x0', ['a', 'run.svg'])).toBeNull();
    expect(servedFile(roots, '0', [])).toBeNull();
  });
});
