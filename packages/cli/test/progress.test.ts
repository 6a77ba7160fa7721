/**
 * Live progress as a user sees it: the built binary on a pseudo-terminal (util-linux `script`,
 * part of every Debian install) draws a redrawn bar; with stdout piped it prints plain lines.
 */
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { Trainer } from '@grokscope/core';
import { reportProgress } from '../src/progressReporter';
import { bin, metrics, run, tmp, writeConfig } from './cliHarness';

let dir: string;
let config: string;
beforeAll(() => {
  dir = tmp();
  config = writeConfig(dir, { train: { steps: 200, evalEvery: 20 } });
});

/** The final state of a line that was redrawn with `\r`: what the user is left looking at. */
const lastDrawn = (text: string) =>
  text
    .split(/\r\n|\n/)
    .map((l) => l.split('\r').pop()!)
    .filter((l) => l.includes('█'));

test('on a terminal: a bar redrawn in place with step, steps/s, ETA, accuracies and H̃', () => {
  if (spawnSync('script', ['--version']).error)
    throw new Error('this test needs `script` (util-linux): apt-get install bsdutils');
  const out = path.join(dir, 'tty');
  const cmd = [process.execPath, bin, 'train', '--config', config, '--out', out].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120000 });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/\r\[[█·]{20}\] step \d+\/200/);
  const final = lastDrawn(r.stdout).pop()!;
  expect(final).toMatch(
    /^\[█{20}\] step 200\/200 {2}\d+\.\d steps\/s {2}ETA 0s {2}train \d\.\d{3} {2}test \d\.\d{3} {2}H̃ 0\.\d{3}/,
  );
  // The numbers on the bar are the last evaluation record's.
  const m = metrics(out).pop()!.metrics;
  expect(final).toContain(
    `train ${m['accuracy/train']!.toFixed(3)}  test ${m['accuracy/test']!.toFixed(3)}  H̃ ${m['entropy/Hn']!.toFixed(3)}`,
  );
});

test('without a terminal: plain lines every --progress-every seconds, no carriage returns', () => {
  const r = run(['train', '--config', config, '--out', path.join(dir, 'plain'), '--progress-every', '0.001']);
  expect(r.status).toBe(0);
  expect(r.stdout).not.toContain('\r');
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('step '));
  expect(lines.length).toBeGreaterThan(2);
  for (const l of lines)
    expect(l).toMatch(
      /^step \d+\/200 {2}\d+\.\d steps\/s {2}ETA \S+ {2}train (\d\.\d{3}|–) {2}test (\d\.\d{3}|–) {2}H̃ (0\.\d{3}|–)$/,
    );
  expect(lines[lines.length - 1]).toMatch(/^step 200\/200 /);
});

// One step's end is a point in time, not a rate: the first bar used to divide that one step by the
// microseconds since it ended and print e.g. "5178.1 steps/s".
test('the first bar prints no rate and no ETA before a second step has ended', () => {
  const events = new EventEmitter();
  const trainer = { options: { steps: 100 }, events } as unknown as Trainer;
  let text = '';
  const out = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
  reportProgress(trainer, 'tty', { out });
  events.emit('step', { step: 1, totalSteps: 100, loss: 2 });
  expect(text).toMatch(/step 1\/100 {2}– steps\/s {2}ETA – /);
});
