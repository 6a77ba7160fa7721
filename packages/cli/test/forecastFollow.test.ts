/**
 * `forecast --follow` on a run nobody trains: it prints what is there and
 * stops with a message instead of waiting for ever; `--wait` keeps waiting; a trainer that goes
 * away mid-follow ends it the same way. The "trainer" in the last case is this test process,
 * holding the run's lock as `train` would. Timeouts make a regression fail rather than hang.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireRunLock } from '../src/runLock';
import { bin, run, tmp, writeConfig } from './cliHarness';

const law = ['--law', '1000,1.5,100', '--threshold', '0.3'];

/** A run with evaluations at 0, 10, …, 60 and no summary.json: unfinished, as after a kill -9. */
function unfinishedRun(): string {
  const dir = tmp();
  const out = path.join(dir, 'run');
  expect(
    run(['train', '--config', writeConfig(dir, { train: { steps: 60, evalEvery: 10 } }), '--out', out, '--quiet'])
      .status,
  ).toBe(0);
  fs.rmSync(path.join(out, 'summary.json'));
  return out;
}

/** Runs forecast in a subprocess; resolves when it exits or after `ms` (then killed). */
function forecast(args: string[], ms: number, onStdout?: (all: string, stop: () => void) => void) {
  const child = spawn(process.execPath, [bin, 'forecast', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    onStdout?.(stdout, () => child.kill('SIGKILL'));
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  return new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    child: typeof child;
  }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, child });
    }),
  );
}
const forecastSteps = (stdout: string) => [...stdout.matchAll(/^step (\d+) /gm)].map((m) => Number(m[1]));

test('on an unfinished run nobody trains, --follow prints what is there and stops with a message (exit 1)', async () => {
  const out = unfinishedRun();
  const r = await forecast([out, '--follow', ...law], 30000);
  expect(r.signal).toBeNull(); // it ended on its own
  expect(r.code).toBe(1);
  expect(forecastSteps(r.stdout)).toEqual([0, 10, 20, 30, 40, 50, 60]);
  expect(r.stderr).toMatch(
    /^stopped following: no process is training .*run and it is unfinished \(no summary\.json\)\. Resume it with `grokscope train --out .*run --resume`, or add --wait/,
  );
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  // --wait keeps following: still running once it has printed every record (killed here then, or after 30 s).
  const waited = await forecast([out, '--follow', '--wait', ...law], 30000, (all, stop) => {
    if (/^step 60 /m.test(all)) setTimeout(stop, 1500);
  });
  expect(waited.signal).toBe('SIGKILL');
  expect(forecastSteps(waited.stdout)).toEqual([0, 10, 20, 30, 40, 50, 60]);
});

test('--follow stops when the process training the run goes away before it finishes', async () => {
  const out = unfinishedRun();
  const lock = await acquireRunLock(out); // "training" it
  let released = false;
  const release = () => {
    released = true;
    lock.release();
  };
  // Let go only once forecast is following (it has printed every record so far), however slow
  // its start on a loaded machine: otherwise it would rightly find nobody training from the start.
  const r = await forecast([out, '--follow', ...law], 30000, (all) => {
    if (!released && /^step 60 /m.test(all)) setTimeout(() => released || release(), 1500);
  });
  if (!released) release();
  expect(r.signal).toBeNull();
  expect(r.code).toBe(1);
  expect(forecastSteps(r.stdout)).toEqual([0, 10, 20, 30, 40, 50, 60]);
  expect(r.stderr).toMatch(
    new RegExp(
      `^stopped following: the process training .*run \\(process ${process.pid} on .*\\) went away before it finished`,
    ),
  );
});
