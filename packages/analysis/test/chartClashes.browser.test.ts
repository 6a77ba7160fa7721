/**
 * The report's charts and the study figures in a real browser, checked as a reader sees them:
 * no text over other text, no text under a data line (lines, rules and point outlines are sampled
 * along their length), no text cut off at the picture's edge, no point marker cut by its plot's
 * edge (test-support/chartClashes.js). Each SVG is drawn alone in headless Chromium
 * (test-support/chromium.js). The run picture (run.svg) is checked in the CLI's
 * runPicture.browser.test.ts, the dashboard's run chart in the dashboard's runChart.browser.test.ts.
 *
 * If Chromium cannot start this test FAILS saying why, unless GROKSCOPE_SKIP_BROWSER=1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { svgClashes } from '../../../test-support/chartClashes';
import { launchChromium, skipBrowserTests as skip } from '../../../test-support/chromium';
import { analyzeRuns } from '../src/analyzeRuns';
import { renderRunChart } from '../src/charts';
import { readRun } from '../src/runReader';
import { renderStudyFigures } from '../src/studyCharts';
import { syntheticStudy } from '../src/syntheticStudy';
import { writeReport } from '../src/writeReport';
import { recs } from './fixtures';

const quickRuns = path.join(__dirname, 'quick-runs');

/** Runs whose events fall on one step or at the right edge: the hardest case for labels. */
const crowded = recs([
  [0, 0.1, 0.1, 0.8, 10],
  [100, 1, 0.2, 0.78, 14],
  [200, 1, 0.4, 0.62, 16],
  [300, 1, 0.96, 0.6, 15],
  [400, 1, 1, 0.59, 13],
]);

(skip ? describe.skip : describe)('labels a reader can trust, in headless Chromium', () => {
  let browser: Browser | undefined;
  const dirs: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium('chart-label browser test');
  });
  afterAll(async () => {
    await browser?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('the check sees a label struck by a line, labels on one spot, and a marker cut by the plot edge', async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">
      <g class="mark-group role-frame root"><path class="background" d="M0,0h200v100h-200Z"/>
        <g class="mark-line role-mark"><path d="M0,50L200,50" stroke="black"/></g>
        <g class="mark-symbol role-mark"><path transform="translate(200,20)" d="M-4,-4h8v8h-8Z"/></g>
        <g class="mark-text role-mark"><text x="20" y="54" font-size="11">struck</text>
          <text x="20" y="90" font-size="11">first</text><text x="26" y="92" font-size="11">second</text>
          <text x="120" y="30" font-size="11">clear</text></g></g></svg>`;
    const clashes = await svgClashes(browser!, svg);
    const cut = 'a point marker at (196, 16) crosses the edge of its plot';
    expect(clashes.sort()).toEqual(['"first" overlaps "second"', 'a line mark crosses "struck"', cut]);
  });

  test("the report's charts of the quick runs and of runs whose events crowd together", async () => {
    const runs = fs
      .readdirSync(quickRuns)
      .filter((d) => d.startsWith('seed='))
      .map((d) => readRun(path.join(quickRuns, d)));
    const doc = analyzeRuns(runs, { bootstrap: { resamples: 200 } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-chart-labels-'));
    dirs.push(dir);
    const files = (await writeReport(doc, runs, dir)).filter((f) => f.endsWith('.svg'));
    expect(files.length).toBeGreaterThanOrEqual(runs.length);
    const charts = files.map((f) => ({ chart: path.basename(f), svg: fs.readFileSync(f, 'utf8') }));
    const run = { name: 'crowded', records: crowded };
    const events = (tCross: number) => ({ tCross, tGrok: 300, threshold: 0.6 });
    charts.push({ chart: 'crowded, t_cross = t_grok', svg: await renderRunChart(run, events(300)) });
    charts.push({ chart: 'crowded, events apart', svg: await renderRunChart(run, events(200)) });
    const found = [];
    for (const { chart, svg } of charts) found.push({ chart, clashes: await svgClashes(browser!, svg) });
    expect(found.filter((c) => c.clashes.length)).toEqual([]);
  });

  test.each([
    ['the full synthetic study', {}],
    ['a small study without controls', { seeds: 3, withoutControls: true }],
  ])('the study figures of %s', async (_what, options) => {
    const s = syntheticStudy(options);
    const analysis = analyzeRuns(s.runs, { bootstrap: { resamples: 200 } });
    const figures = await renderStudyFigures({ ...s, analysis });
    expect(figures.filter((f) => f.svg !== null).length).toBeGreaterThanOrEqual(5);
    const found = [];
    for (const f of figures) {
      if (f.svg !== null) found.push({ figure: f.id, clashes: await svgClashes(browser!, f.svg) });
    }
    expect(found.filter((c) => c.clashes.length)).toEqual([]);
  });
});
