/**
 * The browser tests' Chromium (test-support/chromium.js) on a machine with no system browser: the
 * one inside the @sparticuz/chromium devDependency, which `npm ci` brings, starts and renders
 * text; two test workers unpacking it at once both get a whole binary; and a GROKSCOPE_CHROMIUM
 * that names nothing is an error that says so, not a silent fallback.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHROMIUM_ENV, findChromium, launchChromium, skipBrowserTests } from '../../../test-support/chromium';

const saved = { PATH: process.env['PATH'], TMPDIR: process.env['TMPDIR'], [CHROMIUM_ENV]: process.env[CHROMIUM_ENV] };
const made: string[] = [];
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-chromium-test-'));
  made.push(d);
  return d;
};

/** A PATH holding only `sh` (the finder asks `sh -c 'command -v chromium'`): no system Chromium. */
function pathWithoutChromium(): string {
  const bin = tmp();
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  return bin;
}

(skipBrowserTests ? describe.skip : describe)('with no Chromium on PATH', () => {
  test('the bundled Chromium is found, starts headless and lays out text', async () => {
    delete process.env[CHROMIUM_ENV];
    process.env['PATH'] = pathWithoutChromium();
    expect((await findChromium()).source).toBe('@sparticuz/chromium');
    const browser = await launchChromium('launchChromium test');
    try {
      const page = await browser.newPage();
      await page.setContent('<svg width="300" height="60"><text x="10" y="30">t_grok = 1950</text></svg>');
      // Fonts are there: a label has a width, which the label-overlap checks depend on.
      const width = await page.evaluate(() => document.querySelector('text')!.getBBox().width);
      expect(width).toBeGreaterThan(50);
    } finally {
      await browser.close();
    }
  });

  test('two workers unpacking it into the same place at once both get a whole binary', async () => {
    delete process.env[CHROMIUM_ENV];
    process.env['PATH'] = pathWithoutChromium();
    process.env['TMPDIR'] = tmp();
    const [a, b] = await Promise.all([findChromium(), findChromium()]);
    expect(a.executable).toBe(b.executable);
    expect(a.executable.startsWith(process.env['TMPDIR']!)).toBe(true);
    // Nothing half-done is left beside it: each worker's unpacking folder is gone.
    expect(fs.readdirSync(process.env['TMPDIR']!)).toEqual([path.basename(path.dirname(a.executable))]);
    const browser = await launchChromium('launchChromium test');
    await browser.close();
  });
});

test('GROKSCOPE_CHROMIUM naming no file fails, naming the variable and the way out', async () => {
  process.env[CHROMIUM_ENV] = '/nowhere/chrome';
  const failed = launchChromium('launchChromium test');
  await expect(failed).rejects.toThrow(/^The launchChromium test could not start Chromium: no Chromium found: /);
  await expect(failed).rejects.toThrow(/GROKSCOPE_CHROMIUM=\/nowhere\/chrome names no file; unset it/);
  await expect(failed).rejects.toThrow(/GROKSCOPE_SKIP_BROWSER=1 to skip/);
});

test('GROKSCOPE_CHROMIUM=bundled picks the npm one even where a system Chromium is on PATH', async () => {
  process.env[CHROMIUM_ENV] = 'bundled';
  const bin = tmp();
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  fs.writeFileSync(path.join(bin, 'chromium'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  process.env['PATH'] = bin;
  if (skipBrowserTests) return;
  expect(await findChromium()).toMatchObject({ source: '@sparticuz/chromium' });
});
