/**
 * The dashboard's run page in a real browser, checked as a reader sees it: the dashboard serves
 * a study folder (two real finished runs from analysis's test/quick-runs, one cut short, and a
 * long unfinished run whose t_mem and t_cross lie 50 steps apart), the bundled page draws each run's charts
 * with vega-embed, and test-support/chartClashes.js finds no text over other text (tick labels
 * included), no text under a data line and no point marker cut by its plot's edge.
 *
 * Needs the bundled page (dist/page/app.js; built here when missing). If Chromium cannot start
 * this test FAILS saying why, unless GROKSCOPE_SKIP_BROWSER=1 (test-support/chromium.js).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { chartClashes } from '../../../test-support/chartClashes';
import { launchChromium, skipBrowserTests as skip } from '../../../test-support/chromium';
import { startDashboard, type Dashboard } from '../src/startDashboard';
import { line, rec, tmpDir } from './runFixtures';

const QUICK = path.resolve(__dirname, '../../analysis/test/quick-runs');
const PAGE_BUNDLE = path.resolve(__dirname, '../dist/page/app.js');

/**
 * 2,600 steps every 50 (the last tick at the plot's edge): memorised at 150, H̃ far below any H̃*
 * from 200 on, test accuracy ≥ 0.95 at 2,000.
 */
const longRun = Array.from({ length: 53 }, (_, i) => {
  const step = i * 50;
  return rec(step, step < 200 ? 0.8 : 0.3, step < 150 ? 0.5 : 1, step < 2000 ? 0.1 + step / 4000 : 0.97);
});

(skip ? describe.skip : describe)("the dashboard's run charts in headless Chromium", () => {
  let browser: Browser | undefined;
  let dash: Dashboard | undefined;

  beforeAll(async () => {
    const bundlePage = path.resolve(__dirname, '../scripts/bundlePage.js');
    if (!fs.existsSync(PAGE_BUNDLE)) execFileSync(process.execPath, [bundlePage], { stdio: 'inherit' });
    const study = path.join(tmpDir(), 'study');
    for (const seed of [0, 2]) {
      const name = `seed=${seed},condition=baseline`;
      fs.cpSync(path.join(QUICK, name), path.join(study, name), { recursive: true });
    }
    // Seed 1 cut short after 20 evaluations: a run with a forecast and no t_grok yet.
    const cut = path.join(study, 'seed=1,condition=baseline');
    fs.mkdirSync(cut, { recursive: true });
    fs.copyFileSync(path.join(QUICK, 'seed=1,condition=baseline', 'manifest.json'), path.join(cut, 'manifest.json'));
    const lines = fs
      .readFileSync(path.join(QUICK, 'seed=1,condition=baseline', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n');
    fs.writeFileSync(path.join(cut, 'metrics.jsonl'), lines.slice(0, 20).join('\n') + '\n');
    // The long run under a real trainer's manifest, read as the trainer's runs are; no summary: it stopped unfinished.
    const long = path.join(study, 'seed=3,condition=baseline');
    fs.mkdirSync(long);
    fs.copyFileSync(path.join(QUICK, 'seed=0,condition=baseline', 'manifest.json'), path.join(long, 'manifest.json'));
    fs.writeFileSync(path.join(long, 'metrics.jsonl'), longRun.map(line).join(''));
    dash = await startDashboard({ dirs: [study], port: 0 });
    browser = await launchChromium('dashboard run-chart browser test');
  });
  afterAll(async () => {
    await browser?.close();
    await dash?.close();
  });

  test('no label over another label or a data line, no marker cut at the plot edge, on every run page', async () => {
    const ids = dash!.index.runs.map((w) => w.id).sort();
    expect(ids).toHaveLength(4);
    const found: { run: string; clashes: string[] }[] = [];
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    try {
      for (const id of ids) {
        await page.goto(`${dash!.url}#/run/${encodeURIComponent(id)}`);
        const drawn = (want: string) => {
          const main = document.getElementById('main');
          return main?.dataset['run'] === want && !!main.querySelector('#charts svg');
        };
        await page.waitForFunction(drawn, id);
        found.push({ run: id, clashes: await page.evaluate(chartClashes, '#charts .chart svg') });
      }
    } finally {
      await page.close();
    }
    expect(problems).toEqual([]);
    expect(found.filter((f) => f.clashes.length)).toEqual([]);
  });
});
