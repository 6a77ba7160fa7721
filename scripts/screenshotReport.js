// Screenshot of the study report (report.html) for docs/report-screenshot.png.
//
//   npx tsc -b && node scripts/screenshotReport.js [--out DIR] [--png FILE] [--full]
//
// Builds the synthetic study of @grokscope/analysis (`syntheticStudy()`: runs of known shape, no
// training; claims from `evaluateClaims`), writes its report with `writeStudyReport` (into DIR, or a
// temporary folder that is removed afterwards), opens report.html in headless Chromium and saves a
// PNG (default docs/report-screenshot.png) of the page from its top through the C2 section: the
// claims table and the first two claims with their figures (--full: the whole page, ≈12,000 px
// tall). Fails if the page logs a console error. Chromium as the browser tests find it
// (test-support/chromium.js: GROKSCOPE_CHROMIUM, a system one, or the one `npm ci` brings).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { launchChromium } = require('../test-support/chromium');
const A = require('../packages/analysis/dist/index.js');

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function main() {
  const keep = arg('--out');
  const png = path.resolve(arg('--png') ?? path.join(__dirname, '..', 'docs', 'report-screenshot.png'));
  const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-report-shot-'));
  try {
    const s = A.syntheticStudy();
    await A.writeStudyReport({ ...s, analysis: A.analyzeRuns(s.runs) }, dir);
    const browser = await launchChromium('report screenshot');
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(pathToFileURL(path.join(dir, 'report.html')).href);
      if (problems.length) throw new Error(`report.html logged errors:\n${problems.join('\n')}`);
      fs.mkdirSync(path.dirname(png), { recursive: true });
      if (process.argv.includes('--full')) await page.screenshot({ path: png, fullPage: true });
      else {
        const bottom = await page.evaluate(() =>
          Math.ceil(document.querySelector('#claim-C2').getBoundingClientRect().bottom + window.scrollY + 16),
        );
        await page.screenshot({ path: png, fullPage: true, clip: { x: 0, y: 0, width: 1200, height: bottom } });
      }
    } finally {
      await browser.close();
    }
    console.log(`wrote ${path.relative(process.cwd(), png)}${keep ? ` (report in ${dir})` : ''}`);
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
