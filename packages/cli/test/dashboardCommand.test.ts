/**
 * `grokscope dashboard` from the command line: a missing folder is a usage error naming it; a
 * non-loopback --host is served with a printed warning; Ctrl-C (SIGINT) stops it with exit 0.
 * Drives the BUILT binary (see cliHarness.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
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
  const child = spawn(
    process.execPath,
    [bin, 'dashboard', path.join(dir, 'runs'), '--host', '0.0.0.0', '--port', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const end = Date.now() + 20000;
  while (!/grokscope dashboard: http:\/\/0\.0\.0\.0:\d+\//.test(out) && Date.now() < end && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 50));
  expect(out).toMatch(
    /grokscope dashboard: http:\/\/0\.0\.0\.0:(\d+)\/ {2}\(0 runs under .*; read-only; Ctrl-C to stop\)/,
  );
  expect(err).toMatch(/warning: --host 0\.0\.0\.0 makes the dashboard reachable from other machines/);
  const port = Number(/:(\d+)\//.exec(out)![1]);
  const res = await fetch(`http://127.0.0.1:${port}/api/runs`);
  expect(res.status).toBe(200);
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code).toBe(0);
});

test('--host 127.0.0.2 is loopback: no "reachable from other machines" warning', async () => {
  const dir = tmp();
  const child = spawn(process.execPath, [bin, 'dashboard', dir, '--host', '127.0.0.2', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const end = Date.now() + 20000;
  while (!/grokscope dashboard: http/.test(out) && Date.now() < end && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  expect(await new Promise<number | null>((r) => child.on('exit', r))).toBe(0);
  expect(out).toMatch(/grokscope dashboard: http:\/\/127\.0\.0\.2:\d+\//);
  expect(err).toBe('');
});

test('--port 65536: the config error, then exit 2 (it used to stay running)', () => {
  const r = spawnSync(process.execPath, [bin, 'dashboard', tmp(), '--port', '65536'], {
    encoding: 'utf8',
    timeout: 20000,
  });
  expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({
    status: 2,
    signal: null,
    stderr:
      'config error: --port: cannot listen on port 65536: a port is a whole number from 0 to 65535; check --port\n',
  });
});
