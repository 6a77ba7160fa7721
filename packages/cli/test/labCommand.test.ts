/**
 * `grokscope lab` from the command line: it serves the built page on 127.0.0.1 and Ctrl-C (SIGINT)
 * stops it with exit 0; it offers no --host (loopback only); a port in use is a usage error naming
 * --port. Drives the BUILT binary (see cliHarness.ts).
 */
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { bin, run } from './cliHarness';

test('serves the page on 127.0.0.1 until SIGINT, then exits 0', async () => {
  const child = spawn(process.execPath, [bin, 'lab', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const end = Date.now() + 20000;
  while (!/grokscope lab: http:\/\/127\.0\.0\.1:\d+\//.test(out) && Date.now() < end && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 50));
  expect(out).toMatch(/grokscope lab: http:\/\/127\.0\.0\.1:(\d+)\/ {2}\(this machine only; training runs in the page/);
  const port = Number(/:(\d+)\//.exec(out)![1]);
  const page = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
  expect(page).toContain('<script src="app.js"></script>');
  child.kill('SIGINT');
  expect(await new Promise<number | null>((r) => child.on('exit', r))).toBe(0);
});

test('--host is not an option: the lab is loopback only', () => {
  const r = run(['lab', '--host', '0.0.0.0']);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/unknown option '--host'/);
});

test('a port in use is a usage error naming --port', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const r = run(['lab', '--port', String(port)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`--port: cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE\\)`));
  } finally {
    blocker.close();
  }
});
