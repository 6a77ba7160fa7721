import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeRuns } from '../src/analyzeRuns';
import { renderForecastChart, renderRunChart } from '../src/charts';
import { writeReport } from '../src/writeReport';
import { A, B, C, run } from './fixtures';
import { wellFormed } from './wellFormed';

test('the well-formedness check itself rejects broken XML', () => {
  expect(wellFormed('<svg><g><path d="M0"/></g></svg>')).toEqual(['svg', 'g', 'path']);
  expect(() => wellFormed('<svg><g></svg>')).toThrow(/wrong element/);
  expect(() => wellFormed('<svg><path d=M0/></svg>')).toThrow(/malformed tag/);
  expect(() => wellFormed('<svg>a & b</svg>')).toThrow(/bare &/);
  expect(() => wellFormed('<svg><g>')).toThrow(/unclosed/);
});

/** The markup of every mark group with this class (Vega wraps each mark set in one <g class="mark-… role-mark …">). */
const markGroups = (svg: string, mark: string) =>
  svg
    .split(`<g class="mark-${mark} role-mark`)
    .slice(1)
    .map((s) => s.slice(0, s.indexOf('</g>')));

test('run chart: H̃, test accuracy and norm as lines, t_cross and t_grok as rules, H̃* as a rule', async () => {
  const svg = await renderRunChart({ name: 'seed=0', records: A }, { tCross: 300, tGrok: 400, threshold: 0.6 });
  const names = wellFormed(svg);
  expect(names[0]).toBe('svg');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  // Three series, each its own line mark group holding one <path>.
  const lines = markGroups(svg, 'line');
  expect(lines.map((g) => (g.match(/<path/g) ?? []).length)).toEqual([1, 1, 1]);
  expect(lines.map((g) => /series: ([^"]*)"/.exec(g)?.[1])).toEqual(['H̃', 'test accuracy', '‖θ‖ / max ‖θ‖']);
  // Two vertical event rules (one mark group) and one horizontal H̃* rule (another).
  const rules = markGroups(svg, 'rule');
  expect(rules.map((g) => (g.match(/<line/g) ?? []).length)).toEqual([2, 1]);
  expect(svg).toMatch(/>t_cross<\/text>/);
  expect(svg).toMatch(/>t_grok<\/text>/);
  expect(svg).toContain('>seed=0</text>');
});

test('run chart of a censored run has no event rules', async () => {
  const svg = await renderRunChart({ name: 'never', records: C }, { tCross: null, tGrok: null });
  wellFormed(svg);
  expect(markGroups(svg, 'line')).toHaveLength(3);
  expect(markGroups(svg, 'rule').every((g) => !g.includes('<line'))).toBe(true);
  expect(svg).not.toContain('>t_grok</text>');
});

test("a run's own picture: train accuracy too, t_mem, event labels with their steps, axis titles, a subtitle", async () => {
  const svg = await renderRunChart(
    { name: 'quick-0', records: A },
    { tMem: 100, tCross: 300, tGrok: 400, threshold: 0.61 },
    {
      trainAccuracy: true,
      labelSteps: true,
      subtitle: 'memorised at 100 · grokked at 400',
      thresholdLabel: "H̃* = 0.61 (the paper's)",
    },
  );
  wellFormed(svg);
  expect(markGroups(svg, 'line').map((g) => /series: ([^"]*)"/.exec(g)?.[1])).toEqual([
    'H̃',
    'train accuracy',
    'test accuracy',
    '‖θ‖ / max ‖θ‖',
  ]);
  expect(markGroups(svg, 'rule').map((g) => (g.match(/<line/g) ?? []).length)).toEqual([3, 1]);
  for (const label of [
    't_mem = 100',
    't_cross = 300',
    't_grok = 400',
    "H̃* = 0.61 (the paper's)",
    'step',
    'H̃, accuracy, ‖θ‖ / max ‖θ‖',
    'quick-0',
    'memorised at 100 · grokked at 400',
  ]) {
    expect(svg).toContain(`>${label}</text>`);
  }
});

test('forecast chart: forecast line with points against the actual t_grok', async () => {
  const points = [0, 100, 200].map((step) => ({ step, predicted: 400 + step / 10, actual: 400 }));
  const svg = await renderForecastChart('seed=1', points);
  wellFormed(svg);
  expect(markGroups(svg, 'line')[0]!.match(/<path/g)).toHaveLength(1);
  expect(markGroups(svg, 'symbol')[0]!.match(/<path/g)).toHaveLength(3);
  expect(markGroups(svg, 'rule')[0]!.match(/<line/g)).toHaveLength(1);
  expect(svg).toContain('>actual t_grok</text>');
});

test('writeReport writes report.md, report.json and well-formed SVGs', async () => {
  const runs = [run('a', A), run('b', B), run('c', C)];
  const doc = analyzeRuns(runs, { bootstrap: { resamples: 200 } });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-report-'));
  try {
    const files = await writeReport(doc, runs, out);
    expect(files.slice(0, 2)).toEqual([path.join(out, 'report.md'), path.join(out, 'report.json')]);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(doc)));
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('| baseline | 3 | 1 |');
    const svgs = files.filter((f) => f.endsWith('.svg'));
    // One chart per run, censored included, plus a forecast chart per scored run.
    expect(svgs.map((f) => path.basename(f))).toEqual(expect.arrayContaining(['a.svg', 'b.svg', 'c.svg']));
    for (const f of svgs) {
      expect(md).toContain(`(charts/${path.basename(f)})`);
      expect(wellFormed(fs.readFileSync(f, 'utf8'))[0]).toBe('svg');
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
