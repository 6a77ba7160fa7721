/**
 * The platform-free entry in a real browser. esbuild bundles `import … from '@grokscope/analysis'`
 * for the browser, resolving the package as any bundler would (its package.json `exports`,
 * `browser` condition, built dist/), and headless Chromium runs the bundle on the text of three
 * real run directories (test/quick-runs): `parseRun`, `analyzeRuns`, `renderMarkdown`, `runEvents`
 * and a Vega chart. The page must log no error, and what it computes must equal what the Node
 * entry computes from the same directories with `readRun` (docs/architecture.md § Packages).
 *
 * Needs the built package (`npx tsc -b`, which `npm test` runs first). Chromium comes from
 * test-support/chromium.js, as in studyReport.browser.test.ts: if it cannot start this test FAILS
 * saying why, unless GROKSCOPE_SKIP_BROWSER=1. GROKSCOPE_CHROMIUM=/path/to/chrome picks another one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { launchChromium, skipBrowserTests as skipBrowser } from '../../../test-support/chromium';
import { analyzeRuns } from '../src/analyzeRuns';
import { runEvents } from '../src/events';
import { renderMarkdown } from '../src/renderMarkdown';
import { readRun } from '../src/runReader';

const pkgDir = path.resolve(__dirname, '..');
const runsDir = path.join(__dirname, 'quick-runs');

/** The page's program: the same analysis the Node side does, from the files' text. */
const ENTRY = `
import { analyzeRuns, parseRun, renderMarkdown, renderRunChart, runEvents } from '@grokscope/analysis';
globalThis.analyse = async (files) => {
  const runs = files.map((f) => parseRun(f));
  const doc = analyzeRuns(runs, { bootstrap: { resamples: 200 } });
  const svg = await renderRunChart(runs[0], { tCross: null, tGrok: null });
  const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml');
  return {
    markdown: renderMarkdown(doc),
    events: runs.map((r) => runEvents(r.records)),
    svgRoot: parsed.documentElement.nodeName,
    svgErrors: parsed.getElementsByTagName('parsererror').length,
    svgMarks: parsed.querySelectorAll('path, line, text').length,
  };
};
`;

async function bundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: pkgDir, sourcefile: 'page-entry.js' },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

beforeAll(() => {
  if (!fs.existsSync(path.join(pkgDir, 'dist/records.js'))) {
    throw new Error(
      `${path.join(pkgDir, 'dist/records.js')} is missing: build first (\`npx tsc -b\` at the repository root; \`npm test\` does it)`,
    );
  }
});

test('the Node entry does not bundle for a browser (it reads files), so the test below can fail', async () => {
  await expect(
    bundle(`import { readRun } from ${JSON.stringify(path.join(pkgDir, 'dist/index.js'))}; console.log(readRun);`),
  ).rejects.toThrow(/Could not resolve "node:(fs|path|crypto)"/);
});

test('the bundle holds no Node built-in and runs in Chromium, agreeing with the Node entry', async () => {
  const code = await bundle(ENTRY);
  expect(code).not.toMatch(/require\(["']node:/);

  const dirs = fs
    .readdirSync(runsDir)
    .filter((d) => fs.existsSync(path.join(runsDir, d, 'manifest.json')))
    .sort()
    .map((d) => path.join(runsDir, d));
  expect(dirs.length).toBeGreaterThanOrEqual(2);
  const files = dirs.map((dir) => ({
    dir,
    manifest: fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'),
    metrics: fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8'),
    summary: fs.existsSync(path.join(dir, 'summary.json'))
      ? fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')
      : null,
  }));
  const nodeRuns = dirs.map(readRun);
  const expected = {
    markdown: renderMarkdown(analyzeRuns(nodeRuns, { bootstrap: { resamples: 200 } })),
    events: nodeRuns.map((r) => runEvents(r.records)),
  };

  if (skipBrowser) return;
  const browser = await launchChromium('browser-bundle test');
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: code });
    const got = await page.evaluate(
      (f) => (globalThis as unknown as { analyse: (x: unknown) => Promise<Record<string, unknown>> }).analyse(f),
      files,
    );
    expect(errors).toEqual([]);
    expect(got['markdown']).toBe(expected.markdown);
    expect(got['events']).toEqual(JSON.parse(JSON.stringify(expected.events)));
    expect(got['svgRoot']).toBe('svg');
    expect(got['svgErrors']).toBe(0);
    expect(got['svgMarks']).toBeGreaterThan(10);
  } finally {
    await browser.close();
  }
});
