/**
 * run.svg, the picture every ended run leaves, in a real browser, checked as a reader sees it
 * (test-support/chartClashes.js): no text over other text, no text under a data line or rule, no
 * text cut off at the picture's edge. Drawn by writeRunSvg, as `grokscope train` draws it, for the
 * real quick runs of analysis's test/quick-runs and for runs whose events crowd together; and the
 * README's picture, docs/quick-0.svg, as committed.
 *
 * If Chromium cannot start this test FAILS saying why, unless GROKSCOPE_SKIP_BROWSER=1
 * (test-support/chromium.js).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRun, runStory, type RunRecord } from '@grokscope/analysis';
import type { Browser } from 'playwright-core';
import { svgClashes } from '../../../test-support/chartClashes';
import { launchChromium, skipBrowserTests as skip } from '../../../test-support/chromium';
import { writeRunSvg } from '../src/runEnding';
import { tmp } from './cliHarness';

const QUICK = path.resolve(__dirname, '../../analysis/test/quick-runs');
const TITLE = 'quick: add mod 97 (train 0.5, unordered pairs), transformer d64, 4 heads, 1 layer, seed 0, 3000 steps';

/** One evaluation: train accuracy, test accuracy, H̃, ‖θ‖. */
type Row = readonly [number, number, number, number];

/** Records every `every` steps, one per row. */
const records = (every: number, rows: readonly Row[]): RunRecord[] =>
  rows.map(([tr, te, h, n], i) => ({
    step: i * every,
    wallMs: i,
    metrics: { 'accuracy/train': tr, 'accuracy/test': te, 'entropy/Hn': h, 'norm/weights': n },
  }));

/** Evaluation i of a run every 50 steps: memorised at 150, H̃ below 0.61 from 200 on, grokked at 2,000. */
const longRow = (i: number): Row => [i < 3 ? 0.5 : 1, i < 40 ? 0.1 + i / 80 : 0.97, i < 4 ? 0.8 : 0.3, 10 - i / 10];

/** Runs whose events crowd: all three on one step, one step apart at the right edge, 50 apart over 2,600 steps. */
const crowded: [string, RunRecord[]][] = [
  [
    't_mem = t_cross = t_grok',
    records(100, [
      [0.1, 0.1, 0.8, 10],
      [0.5, 0.2, 0.7, 12],
      [1, 0.97, 0.5, 11],
      [1, 1, 0.45, 10],
    ]),
  ],
  [
    'events at the right edge',
    records(100, [
      [0.1, 0.1, 0.8, 10],
      [0.5, 0.2, 0.75, 12],
      [0.6, 0.3, 0.7, 12],
      [1, 0.97, 0.55, 11],
    ]),
  ],
  [
    't_mem 150, t_cross 200, 2,600 steps',
    records(
      50,
      Array.from({ length: 53 }, (_, i) => longRow(i)),
    ),
  ],
];

(skip ? describe.skip : describe)('run.svg in headless Chromium', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium('run-picture browser test');
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('the pictures of the quick runs and of crowded runs: no label over a label or a line', async () => {
    const runs: [string, readonly RunRecord[]][] = [
      ...fs
        .readdirSync(QUICK)
        .filter((d) => d.startsWith('seed='))
        .map((d): [string, readonly RunRecord[]] => [d, readRun(path.join(QUICK, d)).records]),
      ...crowded,
    ];
    const found: { run: string; clashes: string[] }[] = [];
    for (const [name, rs] of runs) {
      const dir = tmp();
      const file = await writeRunSvg(dir, TITLE, rs, runStory(rs));
      expect(file).not.toBeNull();
      found.push({ run: name, clashes: await svgClashes(browser!, fs.readFileSync(file!, 'utf8')) });
    }
    expect(found.filter((f) => f.clashes.length)).toEqual([]);
  });

  test("the README's picture, docs/quick-0.svg", async () => {
    const svg = fs.readFileSync(path.resolve(__dirname, '../../../docs/quick-0.svg'), 'utf8');
    expect(await svgClashes(browser!, svg)).toEqual([]);
  });
});
