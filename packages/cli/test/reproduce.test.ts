/**
 * `grokscope reproduce` on a tiny study (test/fixtures/tinyStudy.yaml: 2 seeds × baseline,
 * entropy-floor, norm-matched at p = 11): the report and its claims table, and a study killed
 * mid-way that the same command finishes with every run trained exactly once.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin, metrics, run, tmp } from './cliHarness';

const study = path.join(__dirname, 'fixtures', 'tinyStudy.yaml');
const RUNS = ['baseline', 'entropy-floor', 'norm-matched']
  .flatMap((c) => [0, 1].map((s) => `seed=${s},condition=${c}`))
  .sort();

const runDirs = (out: string) =>
  fs
    .readdirSync(out)
    .filter((f) => f.startsWith('seed='))
    .sort();
/** How many times a worker started training a run from scratch (its log says "training …"), and resumed it. */
const starts = (out: string, name: string) => {
  const log = fs.readFileSync(path.join(out, 'logs', `${name}.log`), 'utf8');
  return { fresh: (log.match(/^training /gm) ?? []).length, resumed: (log.match(/^resuming /gm) ?? []).length };
};

test('writes report.md, report.json (schema-versioned, with the command) and report.html with one verdict per claim', () => {
  const out = path.join(tmp(), 'study');
  const r = run(['reproduce', '--study', study, '--out', out, '--workers', '2']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^\| claim \| paper \| ours \| verdict \|$/m);
  expect(r.stdout).toMatch(/verdicts: C1 \w[\w ]*, C2 .*C8 /);
  expect(runDirs(out)).toEqual(RUNS);
  const json = JSON.parse(fs.readFileSync(path.join(out, 'report', 'report.json'), 'utf8'));
  expect(json.schemaVersion).toBe(1);
  expect(json.study.trainingMs).toBeGreaterThan(0); // summed over the runs: known even when a later invocation trains nothing
  expect(json.study.command).toMatch(/^grokscope reproduce --study .*tinyStudy\.yaml --out .* --workers 2$/);
  expect(json.claims.map((c: { id: string }) => c.id)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
  for (const c of json.claims)
    expect(['reproduced', 'not reproduced', 'contradicted', 'inconclusive']).toContain(c.verdict);
  expect(fs.readFileSync(path.join(out, 'report', 'report.md'), 'utf8')).toMatch(
    /\| C3: .*\| (reproduced|not reproduced|contradicted|inconclusive) \|/,
  );
  expect(fs.existsSync(path.join(out, 'report', 'report.html'))).toBe(true);
  // Again: nothing left to train, the report is written again.
  const again = run(['reproduce', '--study', study, '--out', out]);
  expect(again.status).toBe(0);
  expect(again.stdout).toMatch(/0 finished now, 6 already done/);
});

test('killed mid-study (kill -9 of the study and its workers), the same command finishes it with every run trained exactly once', async () => {
  const out = path.join(tmp(), 'study');
  const child = spawn(process.execPath, [bin, 'reproduce', '--study', study, '--out', out, '--workers', '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      // Two runs done: kill the whole process group (the study and its running workers).
      if ((text.match(/^done /gm) ?? []).length >= 2) {
        process.kill(-child.pid!, 'SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => resolve());
  });
  await new Promise((r) => child.on('close', r));
  const finishedBefore = RUNS.filter((n) => fs.existsSync(path.join(out, n, 'summary.json')));
  expect(finishedBefore.length).toBeGreaterThanOrEqual(2);
  expect(finishedBefore.length).toBeLessThan(6);
  const r = run(['reproduce', '--study', study, '--out', out, '--workers', '2']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`${finishedBefore.length} already done`));
  for (const name of RUNS) {
    // A run finished before the kill is not touched again; one cut short resumes (or, killed
    // before its first write, starts again — nothing of it had been logged).
    if (finishedBefore.includes(name)) expect({ name, ...starts(out, name) }).toEqual({ name, fresh: 1, resumed: 0 });
    const steps = metrics(path.join(out, name)).map((m) => m.step);
    expect(steps).toEqual([...Array(13).keys()].map((k) => 10 * k)); // each evaluation exactly once
  }
});
