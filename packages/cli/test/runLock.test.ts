/**
 * The run lock: on this host a live holder keeps its lock however old the
 * file is (a stopped process); a reused pid, or another host's lock nobody refreshed, is taken
 * over — and the old owner then cannot write. Unit tests run against src; the subprocess ones
 * drive the built binary (see ./cliHarness for building first).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type MetricsRecord, RunStore } from '@grokscope/core';
import { acquireRunLock, LOCK_FILE, lockHolder } from '../src/runLock';
import { bin, metrics, run, tmp, writeConfig } from './cliHarness';

// Liveness on this host is read from /proc (start times); elsewhere only the pid is checked.
const linux = process.platform === 'linux' ? test : test.skip;

const lockFile = (dir: string) => path.join(dir, LOCK_FILE);
const readLock = (dir: string) => JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')) as Record<string, unknown>;
/** Writes a lock file as a real acquisition would, with some fields replaced. */
async function plantLock(dir: string, fields: Record<string, unknown>): Promise<void> {
  const lock = await acquireRunLock(dir);
  const text = readLock(dir);
  lock.release();
  fs.writeFileSync(lockFile(dir), JSON.stringify({ ...text, ...fields }));
}
const backdate = (file: string, seconds: number) => {
  const then = new Date(Date.now() - seconds * 1000);
  fs.utimesSync(file, then, then);
};
const startTimeOf = (pid: number) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};

describe('on this host, the holder process decides, never the age of the file', () => {
  let other: ChildProcess;
  beforeAll(() => {
    other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  });
  afterAll(() => {
    other.kill('SIGKILL');
  });

  linux('a live holder with its recorded start time keeps an old lock', async () => {
    const dir = tmp();
    await plantLock(dir, { pid: other.pid, start: startTimeOf(other.pid!), token: 'theirs' });
    backdate(lockFile(dir), 600);
    expect(lockHolder(dir)).toMatchObject({ pid: other.pid });
    await expect(acquireRunLock(dir)).rejects.toMatchObject({
      code: 'E_RUN_LOCKED',
      message: expect.stringMatching(`being trained by process ${other.pid} on `),
    });
    expect(readLock(dir)).toMatchObject({ pid: other.pid, token: 'theirs' });
  });

  linux('a live pid with another start time is a reused pid: the lock is taken over', async () => {
    const dir = tmp();
    await plantLock(dir, { pid: other.pid, start: String(Number(startTimeOf(other.pid!)) + 1), token: 'theirs' });
    expect(lockHolder(dir)).toBeNull();
    const lock = await acquireRunLock(dir);
    expect(readLock(dir)).toMatchObject({ pid: process.pid, token: lock.holder.token });
    lock.release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  test('a pid that no longer exists leaves an abandoned lock', async () => {
    const dir = tmp();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await plantLock(dir, { pid: Number(gone.stdout), token: 'theirs' });
    expect(lockHolder(dir)).toBeNull();
    (await acquireRunLock(dir)).release();
  });
});

test("another host's lock counts by age: fresh it holds, stale it is taken over and its owner can no longer write", async () => {
  const dir = tmp();
  const old = await acquireRunLock(dir);
  // The same lock as if `old` ran on another machine sharing this volume (same token: still "its" lock).
  fs.writeFileSync(lockFile(dir), JSON.stringify({ ...readLock(dir), host: 'another-host.example' }));
  expect(() => old.assertHeld()).not.toThrow();
  expect(lockHolder(dir)).toMatchObject({ host: 'another-host.example' });
  backdate(lockFile(dir), 5 * 60); // its heartbeat stopped (a suspended job, a partitioned node)
  expect(lockHolder(dir)).toBeNull();
  const taker = await acquireRunLock(dir);
  expect(readLock(dir)).toMatchObject({ pid: process.pid, token: taker.holder.token });
  // The old owner wakes up: every write the run store makes is refused, with a named error.
  expect(() => old.assertHeld()).toThrow(
    expect.objectContaining({
      code: 'E_RUN_LOCKED',
      message: expect.stringMatching(/lost the lock on .*now names process/),
    }),
  );
  const record: MetricsRecord = { step: 0, wallMs: 0, metrics: {} };
  expect(() => new RunStore(dir, old).appendMetric(record)).toThrow(expect.objectContaining({ code: 'E_RUN_LOCKED' }));
  expect(fs.existsSync(path.join(dir, 'metrics.jsonl'))).toBe(false);
  old.release(); // not its lock any more: leaves the new holder's file alone
  expect(() => taker.assertHeld()).not.toThrow();
  new RunStore(dir, taker).appendMetric(record);
  taker.release();
  expect(() => taker.assertHeld()).toThrow(expect.objectContaining({ code: 'E_RUN_LOCKED' }));
});

test('an --out inside /proc fails at once with one line, instead of spinning', () => {
  const target = `/proc/grokscope-${process.pid}/run`;
  // The lock on its own (the built module, in a subprocess: a regression would spin, not throw).
  const lockModule = path.resolve(__dirname, '../dist/runLock.js');
  const script = `require(${JSON.stringify(lockModule)}).acquireRunLock(${JSON.stringify(target)}).then(() => process.exit(0), (e) => { process.stderr.write(e.code + ': ' + e.message + '\\n'); process.exit(3); });`;
  const t0 = Date.now();
  const direct = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15000 });
  expect(direct.status).toBe(3);
  expect(direct.stderr).toMatch(
    /^E_FS: cannot create \/proc\/grokscope-\d+ \(ENOENT: .*\/proc.*\); choose another --out\n$/,
  );
  // And through `train`.
  const r = spawnSync(process.execPath, [bin, 'train', '--config', writeConfig(tmp()), '--out', target], {
    encoding: 'utf8',
    timeout: 15000,
  });
  expect(r.status).not.toBe(0);
  expect(r.status).not.toBeNull();
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/\/proc/);
  expect(Date.now() - t0).toBeLessThan(14000);
});

/** Every file under `dir` with its size and time, to show that nothing was written. */
const snapshot = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((f) => {
      const s = fs.statSync(path.join(dir, f));
      return `${f} ${s.size} ${s.mtimeMs}`;
    });

linux(
  'a train stopped (SIGSTOP) with a back-dated lock keeps its run: a second train exits 75 and writes nothing',
  async () => {
    const dir = tmp();
    const cfg = writeConfig(dir, { train: { steps: 400, evalEvery: 10 } });
    const out = path.join(dir, 'run');
    const first = spawn(process.execPath, [bin, 'train', '--config', cfg, '--out', out, '--quiet'], {
      stdio: 'ignore',
    });
    const closed = new Promise<number | null>((resolve) => first.on('close', resolve));
    try {
      const evaluations = () =>
        fs.existsSync(path.join(out, 'metrics.jsonl'))
          ? fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n').length - 1
          : 0;
      for (const t0 = Date.now(); evaluations() < 3 && Date.now() - t0 < 60000; )
        await new Promise((r) => setTimeout(r, 20));
      first.kill('SIGSTOP'); // Ctrl-Z
      backdate(lockFile(out), 10 * 60); // as if it had been stopped for ten minutes
      const before = snapshot(out);
      const second = run(['train', '--config', cfg, '--out', out]);
      expect(second.status).toBe(75);
      expect(second.stderr).toMatch(new RegExp(`^error: .* is being trained by process ${first.pid} on `));
      expect(snapshot(out)).toEqual(before);
    } finally {
      first.kill('SIGCONT');
    }
    expect(await closed).toBe(0);
    const steps = metrics(out).map((m) => m.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    expect(run(['train', '--config', cfg, '--out', path.join(dir, 'ref'), '--quiet']).status).toBe(0);
    expect(metrics(out)).toEqual(metrics(path.join(dir, 'ref')));
  },
);
