/**
 * `grokscope dashboard` in a real browser: the BUILT CLI serves a temp folder holding a finished
 * run and a run being written by another process (which holds the run's lock, as a trainer
 * does); headless Chromium (test-support/chromium.js, driven by playwright-core) checks that the
 * overview lists both with their status, that the running run's chart gains a point when a record
 * is appended — and not while the line is half written — without a reload, that the page logs no
 * console error, and that a traversal request gets 404.
 *
 * Needs a build (`npm run build`: tsc and the page bundle). If Chromium cannot start this test
 * FAILS saying why, unless GROKSCOPE_SKIP_BROWSER=1. GROKSCOPE_CHROMIUM=/path/to/chrome picks
 * another executable; GROKSCOPE_DASHBOARD_PNG=FILE saves a screenshot of the running run's page
 * (docs/dashboard.png is made so: see docs/dashboard.md).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, skipBrowserTests as skip } from '../../../test-support/chromium';
import { bin, tmp } from './cliHarness';

const QUICK = path.resolve(__dirname, '../../analysis/test/quick-runs');
const PAGE_BUNDLE = path.resolve(__dirname, '../../dashboard/dist/page/app.js');

/** A process that holds the run's lock (as `train` does) and appends to its metrics.jsonl whatever text it is sent, one JSON string per line. */
function startWriter(dir: string): { child: ChildProcess; write: (text: string) => Promise<void> } {
  const lockModule = path.resolve(__dirname, '../dist/runLock.js');
  const script = `
    const fs = require('node:fs');
    const { acquireRunLock } = require(${JSON.stringify(lockModule)});
    acquireRunLock(${JSON.stringify(dir)}).then((lock) => {
      process.stdout.write('locked\\n');
      let buf = '';
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (c) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\\n')) >= 0) {
          fs.appendFileSync(${JSON.stringify(path.join(dir, 'metrics.jsonl'))}, JSON.parse(buf.slice(0, i)));
          buf = buf.slice(i + 1);
          process.stdout.write('ok\\n');
        }
      });
      process.stdin.on('end', () => { lock.release(); process.exit(0); });
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (c: string) => {
    out += c;
    for (;;) {
      const i = out.indexOf('\n');
      if (i < 0) break;
      out = out.slice(i + 1);
      waiters.shift()?.();
    }
  });
  const next = () => new Promise<void>((r) => waiters.push(r));
  const locked = next();
  return {
    child,
    write: async (text) => {
      await locked;
      const done = next();
      child.stdin!.write(JSON.stringify(text) + '\n');
      await done;
    },
  };
}

/** Vertices drawn by the page's line marks (vega's SVG: one path per series, "M x,y L x,y …"). */
const lineVertices = (page: Page) =>
  page.evaluate(() => {
    let n = 0;
    for (const p of document.querySelectorAll('#charts .chart:first-child g.mark-line path'))
      n += ((p.getAttribute('d') ?? '').match(/[ML]/g) ?? []).length;
    return n;
  });

function rawGet(port: number, p: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
      .on('error', reject);
  });
}

(skip ? describe.skip : describe)('grokscope dashboard in headless Chromium', () => {
  let browser: Browser;
  let server: ChildProcess;
  let writer: ReturnType<typeof startWriter>;
  let url: string;
  let liveDir: string;
  let liveLines: string[];
  const problems: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(PAGE_BUNDLE))
      execFileSync(process.execPath, [path.resolve(__dirname, '../../dashboard/scripts/bundlePage.js')], {
        stdio: 'inherit',
      });
    const root = tmp();
    // A study: two finished runs (real trainer output) and a third being trained now.
    for (const seed of [0, 2])
      fs.cpSync(
        path.join(QUICK, `seed=${seed},condition=baseline`),
        path.join(root, 'study-quick', `seed=${seed},condition=baseline`),
        { recursive: true },
      );
    liveDir = path.join(root, 'study-quick', 'seed=1,condition=baseline');
    fs.mkdirSync(liveDir, { recursive: true });
    fs.copyFileSync(
      path.join(QUICK, 'seed=1,condition=baseline', 'manifest.json'),
      path.join(liveDir, 'manifest.json'),
    );
    liveLines = fs
      .readFileSync(path.join(QUICK, 'seed=1,condition=baseline', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    writer = startWriter(liveDir);
    await writer.write(liveLines.slice(0, 20).join('\n') + '\n');

    server = spawn(process.execPath, [bin, 'dashboard', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.setEncoding('utf8');
      server.stdout!.on('data', (c: string) => {
        out += c;
        const m = /grokscope dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.stderr!.on('data', (c: Buffer) => problems.push(`dashboard stderr: ${c.toString()}`));
      server.on('exit', (code) => reject(new Error(`dashboard exited ${code}: ${out} ${problems.join('')}`)));
    });
    browser = await launchChromium('dashboard browser test');
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill('SIGINT');
    writer?.child.stdin!.end();
  });

  it('lists both runs, draws a record appended by the trainer without a reload, logs no error, and refuses traversal', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(url);
    await page.waitForSelector('table.runs tbody tr[data-run]');
    const rows = await page.$$eval('table.runs tbody tr[data-run]', (trs) =>
      trs.map((tr) => [tr.querySelector('a')!.textContent, (tr as HTMLElement).dataset['status']]),
    );
    expect(rows).toEqual([
      ['study-quick/seed=0,condition=baseline', 'stopped'],
      ['study-quick/seed=1,condition=baseline', 'running'],
      ['study-quick/seed=2,condition=baseline', 'stopped'],
    ]);

    await page.click('text=study-quick/seed=1,condition=baseline');
    await page.waitForSelector('#charts .chart:first-child g.mark-line path');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42)); // gone if the page reloads
    const before = await lineVertices(page);
    expect(await page.textContent('dd.step')).toMatch(/^950 \(20 evaluations\)/);

    // Half a line (a write in progress): nothing new is drawn.
    const next = liveLines[20]! + '\n';
    await writer.write(next.slice(0, 40));
    await page.waitForTimeout(1500);
    expect(await lineVertices(page)).toBe(before);

    const t0 = Date.now();
    await writer.write(next.slice(40));
    await page.waitForFunction(
      (n) => {
        let v = 0;
        for (const p of document.querySelectorAll('#charts .chart:first-child g.mark-line path'))
          v += ((p.getAttribute('d') ?? '').match(/[ML]/g) ?? []).length;
        return v > n;
      },
      before,
      { timeout: 5000 },
    );
    const latency = Date.now() - t0;
    expect(latency).toBeLessThan(3000); // "within a couple of seconds"
    // One more evaluation of each series drawn (H̃, train and test accuracy, weight norm).
    expect((await lineVertices(page)) - before).toBe(4);
    expect(await page.textContent('dd.step')).toMatch(/^1000 \(21 evaluations\)/);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.textContent('#live')).toBe('live');
    // The study's two finished runs give the law: the page shows a forecast for the running run.
    expect(await page.textContent('#forecast')).toMatch(
      /t_grok ≈ \d+ \(made at step 1000; law fitted on 2 finished run\(s\)/,
    );

    const png = process.env['GROKSCOPE_DASHBOARD_PNG'];
    if (png) await page.screenshot({ path: path.resolve(png), fullPage: true });

    const port = Number(new URL(url).port);
    for (const p of [
      '/files/0/../../../../etc/passwd',
      '/files/0/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/files/0/..%2f..%2f..%2fetc%2fpasswd',
    ])
      expect([p, await rawGet(port, p)]).toEqual([p, 404]);
    expect(await rawGet(port, '/files/0/study-quick/seed=0,condition=baseline/summary.json')).toBe(200);
    expect(problems).toEqual([]);
  });
});
