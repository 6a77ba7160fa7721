/**
 * The lab's zip writer against independent readers: Info-ZIP's `unzip` (its own CRC check with
 * `-t`, then extraction) and Python's zipfile. CRC-32 against the standard check value.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32, zip } from '../src/page/zip';

const files = {
  'run-a/manifest.json': '{\n  "seed": 0,\n  "note": "H̃ ≈ 0.88"\n}\n',
  'run-a/metrics.jsonl': Array.from({ length: 500 }, (_, i) => JSON.stringify({ step: i, m: Math.sin(i) }) + '\n').join(
    '',
  ),
  'run-a/summary.json': '',
};

test('crc32 gives the standard check value', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array())).toBe(0);
});

test('unzip tests and extracts the archive to the same bytes; Python reads it too', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-zip-'));
  const archive = path.join(dir, 'run.zip');
  fs.writeFileSync(archive, zip(Object.entries(files).map(([name, data]) => ({ name, data }))));
  expect(execFileSync('unzip', ['-t', archive], { encoding: 'utf8' })).toMatch(/No errors detected/);
  execFileSync('unzip', ['-q', archive, '-d', path.join(dir, 'out')]);
  for (const [name, text] of Object.entries(files))
    expect(fs.readFileSync(path.join(dir, 'out', name), 'utf8')).toBe(text);
  const py = execFileSync(
    'python3',
    [
      '-c',
      'import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; ' +
        'print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))',
      archive,
    ],
    { encoding: 'utf8' },
  );
  expect(JSON.parse(py)).toEqual(files);
});
