/**
 * Issue 12: wasm threads under Node (packages/core/src/backend/wasmThreads.ts). The quick
 * preset's model (d_model 64, 577 training pairs) is large enough that XNNPACK splits its
 * products across the pool, so these runs exercise the threaded path for real.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin, metrics, tmp } from './cliHarness';

const train = (out: string, extra: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, 'train', '--preset', 'quick', '--eval-every', '40', '--out', out, '--quiet', ...extra], {
    encoding: 'utf8',
    timeout: 240000,
    env: { ...process.env, GROKSCOPE_THREADS: undefined, ...env },
  });
const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { threads?: number };

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
  const args = [bin, 'train', '--preset', 'quick', '--eval-every', '40', '--out', two, '--threads', '2', '--steps', '160', '--set', 'train.checkpointEvery=30', '--json'];
  // SIGKILL right after the second checkpoint: the pool's workers die with the process, mid-step.
  const killed = await new Promise<{ signal: NodeJS.Signals | null; step: number }>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GROKSCOPE_THREADS: undefined } });
    let out = '';
    let step = -1;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const checkpoints = [...out.matchAll(/"event":"checkpoint"[^\n]*"step":(\d+)/g)];
      if (step < 0 && checkpoints.length >= 2) {
        step = Number(checkpoints[1]![1]);
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, step }));
  });
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.step).toBeGreaterThan(0);
  expect(killed.step).toBeLessThan(160);
  const again = train(two, ['--threads', '2', '--steps', '160', '--set', 'train.checkpointEvery=30']);
  expect(again.stderr).toBe('');
  expect(again.status).toBe(0);
  expect(metrics(two)).toEqual(metrics(one));
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
