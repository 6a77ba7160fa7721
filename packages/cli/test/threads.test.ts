/**
 * Issue 12: wasm threads under Node (packages/core/src/backend/wasmThreads.ts). The quick
 * preset's model (d_model 64, 577 training pairs) is large enough that XNNPACK splits its
 * products across the pool, so these runs exercise the threaded path for real.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin, killAfterSecondCheckpoint, metrics, tmp } from './cliHarness';

const train = (out: string, extra: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(
    process.execPath,
    [bin, 'train', '--preset', 'quick', '--eval-every', '40', '--out', out, '--quiet', ...extra],
    {
      encoding: 'utf8',
      timeout: 240000,
      env: { ...process.env, GROKSCOPE_THREADS: undefined, ...env },
    },
  );
const manifest = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { threads?: number };

test('two threads give bitwise the metrics of one, record their count, and a run resumes across thread counts', () => {
  const dir = tmp();
  const one = path.join(dir, 'one');
  const two = path.join(dir, 'two');
  const mixed = path.join(dir, 'mixed');
  for (const [out, args] of [
    [one, ['--threads', '1', '--steps', '120']],
    [two, ['--threads', '2', '--steps', '120']],
    [mixed, ['--steps', '80']],
  ] as const) {
    const r = out === mixed ? train(out, [...args], { GROKSCOPE_THREADS: '2' }) : train(out, [...args]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }
  expect(manifest(one).threads).toBe(1);
  expect(manifest(two).threads).toBe(2);
  expect(manifest(mixed).threads).toBe(2); // from GROKSCOPE_THREADS
  expect(metrics(two)).toEqual(metrics(one));
  // The first 80 steps on two threads, the rest on one: the same run.
  const rest = train(mixed, ['--threads', '1', '--steps', '120']);
  expect(rest.status).toBe(0);
  expect(metrics(mixed)).toEqual(metrics(one));
});

test('killed with SIGKILL mid-run on two threads, the same command resumes to bitwise the one-thread metrics', async () => {
  const dir = tmp();
  const one = path.join(dir, 'one');
  const two = path.join(dir, 'two');
  expect(train(one, ['--threads', '1', '--steps', '160']).status).toBe(0);
  const args = [
    bin,
    'train',
    '--preset',
    'quick',
    '--eval-every',
    '40',
    '--out',
    two,
    '--threads',
    '2',
    '--steps',
    '160',
    '--set',
    'train.checkpointEvery=30',
    '--json',
  ];
  // SIGKILL right after the second checkpoint: the pool's workers die with the process, mid-step.
  const killed = await killAfterSecondCheckpoint(args, { ...process.env, GROKSCOPE_THREADS: undefined });
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.step).toBeGreaterThan(0);
  expect(killed.step).toBeLessThan(160);
  const again = train(two, ['--threads', '2', '--steps', '160', '--set', 'train.checkpointEvery=30']);
  expect(again.stderr).toBe('');
  expect(again.status).toBe(0);
  expect(metrics(two)).toEqual(metrics(one));
});

test('a wasm pool thread that dies mid-run ends the run with E_WASM_THREAD; what was logged stays and the same command resumes it', async () => {
  const dir = tmp();
  const one = path.join(dir, 'one');
  const two = path.join(dir, 'two');
  expect(train(one, ['--threads', '1', '--steps', '160']).status).toBe(0);
  const faulty = path.join(__dirname, 'fixtures', 'killPoolThreads.js');
  const args = [
    bin,
    'train',
    '--preset',
    'quick',
    '--eval-every',
    '40',
    '--out',
    two,
    '--threads',
    '2',
    '--steps',
    '160',
    '--json',
  ];
  // Kill the pool once the evaluation at step 80 is logged; the watchdog gives up after 3 s without a step.
  const ended = await new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        GROKSCOPE_THREADS: undefined,
        GROKSCOPE_THREAD_STALL_S: '3',
        NODE_OPTIONS: `--require ${faulty}`,
      },
    });
    let out = '';
    let stderr = '';
    let sent = false;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && /"event":"evaluation"[^\n]*"step":80\b/.test(out)) {
        sent = true;
        child.kill('SIGUSR2');
      }
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // Without the watchdog the child would wait forever: end it, and the checks below fail.
    const limit = setTimeout(() => child.kill('SIGTERM'), 120000);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(limit);
      resolve({ signal, stderr });
    });
  });
  expect(ended.stderr).toMatch(/FAULT terminating [1-9]\d* wasm pool threads/);
  expect(ended.stderr).toMatch(
    /no training progress for \d+\.\d s after step (8\d|9\d|1[0-5]\d) on 2 wasm threads \(E_WASM_THREAD\).*run the same command again to resume/,
  );
  expect(ended.signal).toBe('SIGKILL');
  // Every record logged before the thread died is there, and is the one-thread run's.
  const logged = metrics(two);
  expect(logged.map((r) => r.step)).toEqual([0, 40, 80].concat(logged.length > 3 ? [120] : []));
  expect(logged).toEqual(metrics(one).slice(0, logged.length));
  const again = train(two, ['--threads', '2', '--steps', '160']);
  expect(again.stderr).toBe('');
  expect(again.status).toBe(0);
  expect(metrics(two)).toEqual(metrics(one));
});

test('a bad GROKSCOPE_THREAD_STALL_S names the variable and what it takes', () => {
  const r = train(path.join(tmp(), 'a'), ['--threads', '2', '--steps', '10'], { GROKSCOPE_THREAD_STALL_S: 'soon' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(
    /GROKSCOPE_THREAD_STALL_S.*got "soon"; give the seconds a threaded run may go without finishing a step, a number > 0/,
  );
});

test('a thread count out of range names the flag or the variable and what is allowed', () => {
  const dir = tmp();
  const flag = train(path.join(dir, 'a'), ['--threads', '9', '--steps', '10']);
  expect(flag.status).toBe(2);
  expect(flag.stderr).toMatch(/--threads.*got "9"; expected "auto" or a whole number from 1 to 4/);
  const env = train(path.join(dir, 'b'), ['--steps', '10'], { GROKSCOPE_THREADS: 'many' });
  expect(env.status).toBe(2);
  expect(env.stderr).toMatch(/GROKSCOPE_THREADS.*"many".*from 1 to 4, or "auto"/);
});
