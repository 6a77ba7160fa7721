/**
 * Sweeps and runs that another live process trains: such a run is busy, not
 * failed — skipped and reported, the sweep exiting 75 rather than 1 — and a run of the sweep that
 * references it waits until the other process lets go. The "other process" here is this test
 * process itself, holding the run's lock as `train` would (a live pid with its real start time).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireRunLock } from '../src/runLock';
import { bin, run, tmp } from './cliHarness';

const base = `base:
  task: { kind: cyclic, modulus: 11, trainFraction: 0.5 }
  model: { kind: transformer, dModel: 16, heads: 4, dMlp: 32 }
  train: { steps: 30, evalEvery: 10 }
  probes: [accuracy, norms]
out: out
`;

test('a run trained elsewhere is reported busy and the sweep exits 75, not 1; later the same command finishes it', async () => {
  const dir = tmp();
  const file = path.join(dir, 'seeds.yaml');
  fs.writeFileSync(file, `${base}grid:\n  seed: [0, 1]\n`);
  const lock = await acquireRunLock(path.join(dir, 'out', 'seed=0'));
  let r;
  try {
    r = run(['sweep', file, '--workers', '2']);
  } finally {
    lock.release();
  }
  expect(r.status).toBe(75);
  expect(r.stdout).toMatch(new RegExp(`busy {2}seed=0 \\(being trained by process ${process.pid} on `));
  expect(r.stdout).toMatch(/seed=0\s+\| busy/);
  expect(r.stdout).toMatch(/seed=1\s+\| completed/);
  expect(r.stdout).toMatch(/0 failed, 0 blocked, 1 busy elsewhere/);
  expect(r.stdout).toMatch(/1 run is being trained by another process; run the same command again later/);
  expect(fs.existsSync(path.join(dir, 'out', 'seed=0', 'metrics.jsonl'))).toBe(false);
  const again = run(['sweep', file, '--workers', '2', '--quiet']);
  expect(again.status).toBe(0);
  expect(again.stdout).toMatch(/seed=0\s+\| completed/);
});

test('a run that references a busy run waits for it; once let go unfinished, the sweep trains both', async () => {
  const dir = tmp();
  const file = path.join(dir, 'refs.yaml');
  fs.writeFileSync(
    file,
    `${base}grid:\n  condition: [entropy-floor, norm-matched]\nconditions:\n  entropy-floor: { interventions: [{ name: entropy-floor, options: { floor: 0.9 } }] }\n  norm-matched: { interventions: [{ name: norm-matched, options: { reference: "{run:entropy-floor}" } }] }\n`,
  );
  const held = path.join(dir, 'out', 'condition=entropy-floor');
  const lock = await acquireRunLock(held);
  const child = spawn(process.execPath, [bin, 'sweep', file, '--workers', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  let exited = false;
  void closed.then(() => (exited = true));
  try {
    for (const t0 = Date.now(); !/wait {2}condition=entropy-floor/.test(out) && !exited && Date.now() - t0 < 30000; )
      await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(new RegExp(`wait {2}condition=entropy-floor \\(being trained by process ${process.pid} on `));
    await new Promise((r) => setTimeout(r, 1500)); // still waiting: nothing of either run started
    expect(exited).toBe(false);
    expect(out).not.toMatch(/start/);
  } finally {
    lock.release(); // the other process stops, leaving the run unfinished
  }
  expect(await closed).toBe(0);
  expect(out.indexOf('start condition=entropy-floor')).toBeGreaterThan(out.indexOf('wait  condition=entropy-floor'));
  expect(out.indexOf('start condition=norm-matched')).toBeGreaterThan(out.indexOf('done  condition=entropy-floor'));
  expect(out).toMatch(/condition=entropy-floor\s+\| completed/);
  expect(out).toMatch(/condition=norm-matched\s+\| completed/);
});
