/**
 * The study report in a real browser: headless Chromium (test-support/chromium.js: a system one
 * or the one `npm ci` brings, driven by playwright-core) opens report.html from disk and checks
 * that it renders cleanly — no console or page error, no request beyond the file itself
 * (self-contained: no CDN, no script), a row per claim with its verdict, and every chart drawn
 * with a title, axis titles and no overprinted text.
 *
 * If Chromium cannot start this test FAILS saying why, unless GROKSCOPE_SKIP_BROWSER=1.
 * GROKSCOPE_CHROMIUM=/path/to/chrome picks another executable.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromiumMissing, launchChromium, skipBrowserTests as skip } from '../../../test-support/chromium';
import { analyzeRuns } from '../src/analyzeRuns';
import type { StudyReportInput } from '../src/studyReport';
import { writeStudyReport } from '../src/writeStudyReport';
import { syntheticStudy } from '../src/syntheticStudy';

/** What the page says about itself, gathered in the browser. */
interface PageFacts {
  claims: { id: string | undefined; verdict: string; cells: number; contained: boolean }[];
  figures: {
    id: string;
    svgs: number;
    width: number;
    height: number;
    title: string;
    axes: { labelled: boolean; title: string }[];
    overlaps: string[];
  }[];
  omitted: string[];
  scripts: number;
  externalRefs: string[];
}

/** Runs in the page: collects the claims rows and, per figure, its size, title, axis titles and any pair of visible texts whose boxes overlap. */
function collect(): PageFacts {
  const visible = (el: Element) => {
    for (let e: Element | null = el; e && e !== document.documentElement; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    return true;
  };
  const inside = (inner: Element | null, outer: Element | null) => {
    if (!inner || !outer) return false;
    const a = inner.getBoundingClientRect();
    const b = outer.getBoundingClientRect();
    return (
      a.width > 0 &&
      a.left >= b.left - 0.5 &&
      a.right <= b.right + 0.5 &&
      a.top >= b.top - 0.5 &&
      a.bottom <= b.bottom + 0.5
    );
  };
  const claims = [...document.querySelectorAll('table.claims tbody tr')].map((tr) => ({
    id: (tr as HTMLElement).dataset['claim'],
    verdict: tr.querySelector('.verdict')?.textContent?.trim() ?? '',
    cells: tr.querySelectorAll('td').length,
    // The verdict badge sits inside its cell, and no cell's content spills out sideways.
    contained:
      inside(tr.querySelector('.verdict'), tr.querySelector('.verdict-cell')) &&
      [...tr.querySelectorAll('td')].every((td) => td.scrollWidth <= td.clientWidth + 1),
  }));
  const figures = [...document.querySelectorAll('figure[data-figure]')].map((fig) => {
    const svg = fig.querySelector('svg')!;
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    const texts = svg
      ? [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim() !== '' && visible(t))
      : [];
    const rects = texts.map((t) => ({ text: t.textContent!.trim(), r: t.getBoundingClientRect() }));
    const overlaps: string[] = [];
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i]!.r;
        const b = rects[j]!.r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // Glyph boxes include line spacing: a sliver of 1.5 px is touching, not overprinting.
        if (w > 1.5 && h > 1.5) overlaps.push(`"${rects[i]!.text}" × "${rects[j]!.text}"`);
      }
    return {
      id: (fig as HTMLElement).dataset['figure'] ?? '',
      svgs: fig.querySelectorAll('svg').length,
      width: box.width,
      height: box.height,
      title: svg?.querySelector('.role-title-text')?.textContent?.trim() ?? '',
      axes: svg
        ? [...svg.querySelectorAll('g.role-axis')].map((ax) => ({
            labelled: [...ax.querySelectorAll('.role-axis-label text')].some(
              (t) => (t.textContent ?? '').trim() !== '',
            ),
            title: ax.querySelector('.role-axis-title')?.textContent?.trim() ?? '',
          }))
        : [],
      overlaps,
    };
  });
  const externalRefs = [...document.querySelectorAll('[src], link[href], [href]')]
    .map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? '')
    .filter((u) => /^(https?:)?\/\//i.test(u));
  return {
    claims,
    figures,
    omitted: [...document.querySelectorAll('[data-omitted]')].map((e) => (e as HTMLElement).dataset['omitted'] ?? ''),
    scripts: document.querySelectorAll('script').length,
    externalRefs,
  };
}

async function openReport(
  browser: Browser,
  input: StudyReportInput,
): Promise<{ facts: PageFacts; problems: string[]; requests: string[]; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-study-html-'));
  await writeStudyReport(input, dir);
  const url = pathToFileURL(path.join(dir, 'report.html')).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => requests.push(r.url()));
  try {
    const res = await page.goto(url, { waitUntil: 'load' });
    if (!res || !res.ok()) problems.push(`could not open ${url}`);
    const facts = await page.evaluate(collect);
    return { facts, problems, requests: requests.filter((u) => u !== url), dir };
  } finally {
    await page.close();
  }
}

const fullStudy = (): StudyReportInput => {
  const s = syntheticStudy();
  return { ...s, analysis: analyzeRuns(s.runs, { bootstrap: { resamples: 500 } }) };
};

(skip ? describe.skip : describe)('report.html in headless Chromium', () => {
  let browser: Browser | undefined;
  const dirs: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium('study-report browser test');
  });
  afterAll(async () => {
    await browser?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test('every claim row and every chart renders, offline, without a console error or overprinted text', async () => {
    if (!browser) throw chromiumMissing('study-report browser test');
    const input = fullStudy();
    const { facts, problems, requests, dir } = await openReport(browser, input);
    dirs.push(dir);
    expect(problems).toEqual([]);
    // Self-contained: nothing but report.html itself is fetched; no script, no external reference.
    expect(requests).toEqual([]);
    expect(facts.scripts).toBe(0);
    expect(facts.externalRefs).toEqual([]);

    expect(facts.claims.map((c) => c.id)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);
    for (const c of facts.claims) {
      expect(['reproduced', 'not reproduced', 'contradicted', 'inconclusive']).toContain(c.verdict);
      expect(c.cells).toBe(6);
      expect({ claim: c.id, contained: c.contained }).toEqual({ claim: c.id, contained: true });
    }

    // Every figure of the full study is present (the t_grok strip under both C3 and C4), none omitted.
    expect(facts.omitted).toEqual([]);
    expect(facts.figures.map((f) => f.id).sort()).toEqual([
      'abelian',
      'aligned-entropy',
      'forecast',
      'fourier',
      'grok-times',
      'grok-times',
      'mlp',
      'norm-matched',
      'two-phases',
    ]);
    for (const f of facts.figures) {
      const where = `figure ${f.id}`;
      expect({ where, svgs: f.svgs }).toEqual({ where, svgs: 1 });
      expect(f.width).toBeGreaterThan(100);
      expect(f.height).toBeGreaterThan(100);
      expect({ where, title: f.title.length > 0 }).toEqual({ where, title: true });
      const labelled = f.axes.filter((a) => a.labelled);
      expect({ where, axes: labelled.length >= 2 }).toEqual({ where, axes: true });
      expect({ where, untitled: labelled.filter((a) => a.title === '').length }).toEqual({ where, untitled: 0 });
      expect({ where, overlaps: f.overlaps }).toEqual({ where, overlaps: [] });
    }
  });

  test('the page checks themselves catch overprinted text, a missing title and untitled axes', async () => {
    if (!browser) throw chromiumMissing('study-report browser test');
    const page = await browser.newPage();
    try {
      await page.setContent(
        '<figure data-figure="bad"><svg width="300" height="200"><g class="role-axis"><g class="role-axis-label"><text x="10" y="190">0</text></g></g>' +
          '<text x="40" y="40">first label</text><text x="46" y="42">second label</text><text x="40" y="120" opacity="0">hidden</text><text x="44" y="122">shown</text></svg></figure>' +
          '<table class="claims" style="table-layout: fixed; width: 60px"><tbody><tr data-claim="C1"><td class="verdict-cell"><span class="verdict" style="white-space: nowrap">not reproduced</span></td></tr></tbody></table>',
      );
      const facts = await page.evaluate(collect);
      expect(facts.claims).toEqual([{ id: 'C1', verdict: 'not reproduced', cells: 1, contained: false }]);
      const [f] = facts.figures;
      expect(f!.overlaps).toEqual(['"first label" × "second label"']);
      expect(f!.title).toBe('');
      expect(f!.axes).toEqual([{ labelled: true, title: '' }]);
    } finally {
      await page.close();
    }
  });

  test('a study without MLP or non-abelian runs omits those figures and says so', async () => {
    if (!browser) throw chromiumMissing('study-report browser test');
    const s = syntheticStudy({ seeds: 3, withoutControls: true });
    const { facts, problems, requests, dir } = await openReport(browser, {
      ...s,
      analysis: analyzeRuns(s.runs, { bootstrap: { resamples: 200 } }),
    });
    dirs.push(dir);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(facts.claims).toHaveLength(8);
    expect(facts.omitted.sort()).toEqual(['abelian', 'mlp']);
    expect(facts.figures.map((f) => f.id)).not.toContain('mlp');
    for (const f of facts.figures) {
      expect(f.width * f.height).toBeGreaterThan(0);
      expect({ where: f.id, overlaps: f.overlaps }).toEqual({ where: f.id, overlaps: [] });
    }
  });
});
