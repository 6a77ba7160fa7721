/**
 * `grokscope dashboard` from the command line: a missing folder is a usage error naming it; a
 * non-loopback --host is served with a printed warning; Ctrl-C (SIGINT) stops it with exit 0.
 * Drives the BUILT binary (see cliHarness.ts).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin, run, tmp } from './cliHarness';

test('a folder that does not exist is a usage error that names it', () => {
  const r = run(['dashboard', '/no/such/runs', '--port', '0']);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/config error: DIR: \/no\/such\/runs does not exist; name a folder holding runs/);
});

test('--host other than loopback serves with a warning; SIGINT stops it cleanly', async () => {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'runs'));
  const child = spawn(process.execPath, [bin, 'dashboard', path.join(dir, 'runs'), '--host', '0.0.0.0', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const end = Date.now() + 20000;
  while (!/grokscope dashboard: http:\/\/0\.0\.0\.0:\d+\//.test(out) && Date.now() < end && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  expect(out).toMatch(/grokscope dashboard: http:\/\/0\.0\.0\.0:(\d+)\/ {2}\(0 runs under .*; read-only; Ctrl-C to stop\)/);
  expect(err).toMatch(/warning: --host 0\.0\.0\.0 makes the dashboard reachable from other machines/);
  const port = Number(/:(\d+)\//.exec(out)![1]);
  const res = await fetch(`http://127.0.0.1:${port}/api/runs`);
  expect(res.status).toBe(200);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code).toBe(0);
});
