import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRunDirs, readRun, RunReadError } from '../src/runReader';
import { A } from './fixtures';

let root: string;
beforeAll(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-reader-'))));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A run directory with the given files (strings written as they are). */
function runDir(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}
const manifest = (config: unknown = { condition: 'entropy-floor' }) =>
  JSON.stringify({ config, seed: 1, backend: 'wasm', versions: { '@grokscope/core': '0.1.0' }, createdAt: 'opaque' });
const lines = A.map((r) => JSON.stringify(r));

test('reads manifest, records, summary and condition', () => {
  const dir = runDir('complete', {
    'manifest.json': manifest(),
    'metrics.jsonl': lines.join('\n') + '\n',
    'summary.json': JSON.stringify({ status: 'completed', steps: 500, events: { memorised: 100, grokked: 400 } }),
  });
  const run = readRun(dir);
  expect(run).toMatchObject({ dir, name: 'complete', condition: 'entropy-floor', warnings: [] });
  expect(run.records).toEqual(A);
  expect(run.summary).toEqual({ status: 'completed', steps: 500, events: { memorised: 100, grokked: 400 } });
  expect(run.manifest['createdAt']).toBe('opaque'); // extra fields pass through
});

test('no condition means baseline; no summary means null (a run still going)', () => {
  const run = readRun(runDir('running', { 'manifest.json': manifest({ lr: 1e-3 }), 'metrics.jsonl': lines[0] + '\n' }));
  expect(run.condition).toBe('baseline');
  expect(run.summary).toBeNull();
  expect(run.records).toHaveLength(1);
});

test('a cut-short last line is a warning, not an error', () => {
  const dir = runDir('truncated', {
    'manifest.json': manifest(),
    'metrics.jsonl': lines.join('\n') + '\n{"step": 600, "wal',
  });
  const run = readRun(dir);
  expect(run.records).toHaveLength(6);
  expect(run.warnings).toEqual([
    `${path.join(dir, 'metrics.jsonl')}: line 7 is cut short (the run was interrupted while writing it); ignored`,
  ]);
});

test('a malformed record before the last line names the file and line', () => {
  const file = (name: string) => path.join(root, name, 'metrics.jsonl');
  runDir('garbage', {
    'manifest.json': manifest(),
    'metrics.jsonl': [lines[0], 'garbage', lines[1]].join('\n') + '\n',
  });
  expect(() => readRun(path.join(root, 'garbage'))).toThrow(
    `${file('garbage')}: line 2 is not valid JSON; remove or repair that line`,
  );
  // A bad line that ends with a newline was finished being written: an error, not a cut-short tail.
  runDir('garbage-end', { 'manifest.json': manifest(), 'metrics.jsonl': [lines[0], '{"step": 1'].join('\n') + '\n' });
  expect(() => readRun(path.join(root, 'garbage-end'))).toThrow(/line 2 is not valid JSON/);
  runDir('not-record', {
    'manifest.json': manifest(),
    'metrics.jsonl': [lines[0], '{"step": 1.5, "wallMs": 0, "metrics": {}}', lines[1]].join('\n') + '\n',
  });
  expect(() => readRun(path.join(root, 'not-record'))).toThrow(
    /line 2 is not a metrics record \("step" is 1\.5, expected an integer\); remove or repair that line/,
  );
  runDir('bad-metric', {
    'manifest.json': manifest(),
    'metrics.jsonl': '{"step": 0, "wallMs": 0, "metrics": {"loss/train": "high"}}\n',
  });
  expect(() => readRun(path.join(root, 'bad-metric'))).toThrow(
    /line 1 is not a metrics record \("metrics\.loss\/train" is "high", expected a number\)/,
  );
  runDir('unordered', { 'manifest.json': manifest(), 'metrics.jsonl': [lines[2], lines[1]].join('\n') + '\n' });
  expect(() => readRun(path.join(root, 'unordered'))).toThrow(/line 2: step 100 does not follow step 200/);
});

test('null metrics (JSON for NaN) are left out of the record', () => {
  const run = readRun(
    runDir('nan', {
      'manifest.json': manifest(),
      'metrics.jsonl': '{"step": 0, "wallMs": 1, "metrics": {"loss/train": null, "accuracy/train": 0.5}}\n',
    }),
  );
  expect(run.records).toEqual([{ step: 0, wallMs: 1, metrics: { 'accuracy/train': 0.5 } }]);
});

test('a missing or broken manifest or summary is a RunReadError naming the file', () => {
  const empty = runDir('empty', {});
  expect(() => readRun(empty)).toThrow(RunReadError);
  expect(() => readRun(empty)).toThrow(`${path.join(empty, 'manifest.json')}: is missing`);
  expect(() => readRun(runDir('array-manifest', { 'manifest.json': '[]' }))).toThrow(
    /manifest\.json: is not a run manifest: it is not a JSON object\./,
  );
  expect(() => readRun(runDir('bad-manifest', { 'manifest.json': '{"config": ' }))).toThrow(
    /manifest\.json: is not valid JSON/,
  );
  expect(() =>
    readRun(runDir('bad-summary', { 'manifest.json': manifest(), 'summary.json': '{"status": 3}' })),
  ).toThrow(
    /summary\.json: is not a run summary: "status" is 3: .*"completed".*; "steps" is missing \(a number\); delete it if the run is still going/,
  );
});

test('findRunDirs finds run directories below a path', () => {
  const nested = runDir('sweep/seed=0', { 'manifest.json': manifest() });
  expect(findRunDirs([path.join(root, 'sweep')])).toEqual([nested]);
  expect(findRunDirs([nested])).toEqual([nested]);
  expect(findRunDirs([path.join(root, 'nowhere')])).toEqual([]);
});

test('findRunDirs lists each run once through symbolic links: a loop (ln -s . loop) and aliases', () => {
  const runs = ['a', 'b', 'c'].map((n) => runDir(`linked/${n}`, { 'manifest.json': manifest() }));
  const linked = path.join(root, 'linked');
  fs.symlinkSync('.', path.join(linked, 'loop')); // sorts before none of a–c, after all: visited last
  fs.symlinkSync('c', path.join(linked, '0-alias-of-c')); // sorts first: the real path must still win
  fs.mkdirSync(path.join(root, 'outside'));
  fs.symlinkSync(linked, path.join(root, 'outside', 'back'));
  expect(findRunDirs([linked])).toEqual(runs);
  // Reached only through a link, a run is listed by that path.
  expect(findRunDirs([path.join(root, 'outside')])).toEqual(
    ['a', 'b', 'c'].map((n) => path.join(root, 'outside', 'back', n)),
  );
});
