import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeRuns } from '../src/analyzeRuns';
import {
  alignmentSpec,
  grokTimesSpec,
  renderStudyFigures,
  studyFigures,
  type StudyChartInput,
} from '../src/studyCharts';
import {
  formatDuration,
  STUDY_REPORT_SCHEMA_VERSION,
  type StudyReportInput,
  type StudyReportJson,
} from '../src/studyReport';
import type { RunRecord } from '../src/runReader';
import { writeStudyReport } from '../src/writeStudyReport';
import { syntheticStudy } from '../src/syntheticStudy';
import { wellFormed } from './wellFormed';

const s = syntheticStudy({ seeds: 3 });
const analysis = analyzeRuns(s.runs, { bootstrap: { resamples: 200 } });
const input: StudyReportInput = { ...s, analysis };
const chartInput: StudyChartInput = { runs: s.runs, analysis, roles: s.roles };

test('the synthetic study has the shapes it promises', () => {
  const byCondition = (c: string) => analysis.runs.filter((r) => r.condition === c);
  expect(byCondition('baseline').every((r) => r.tGrok !== null && r.tMem !== null && r.tGrok > 3 * r.tMem)).toBe(true);
  expect(byCondition('entropy-floor').filter((r) => r.censored)).toHaveLength(1);
  expect(byCondition('mlp').every((r) => r.censored)).toBe(true);
  expect(byCondition('dihedral').every((r) => !r.censored)).toBe(true);
  const base = analysis.conditions.find((c) => c.condition === 'baseline')!;
  expect(base.threshold.crossingShare.inSample).toBe(1);
  expect(base.twoPhaseShare).toBe(1);
});

test('every figure of the full study has a spec; a study without MLP or non-abelian runs omits those two, saying why', () => {
  const figs = studyFigures(chartInput);
  expect(figs.map((f) => f.id)).toEqual([
    'two-phases',
    'aligned-entropy',
    'grok-times',
    'norm-matched',
    'forecast',
    'abelian',
    'mlp',
    'fourier',
  ]);
  expect(figs.filter((f) => f.spec === null)).toEqual([]);
  // Every claim has a figure.
  expect([...new Set(figs.flatMap((f) => f.claims))].sort()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8']);

  const bare = syntheticStudy({ seeds: 2, withoutControls: true });
  const omitted = studyFigures({
    runs: bare.runs,
    analysis: analyzeRuns(bare.runs, { bootstrap: { resamples: 50 } }),
    roles: bare.roles,
  }).filter((f) => f.spec === null);
  expect(omitted.map((f) => [f.id, f.omitted])).toEqual([
    ['abelian', 'the study defines no non-abelian condition'],
    ['mlp', 'the study defines no MLP condition'],
  ]);
  // A role named but without runs is omitted too.
  const noMlpRuns = studyFigures({
    ...chartInput,
    runs: s.runs.filter((r) => r.condition !== 'mlp'),
    analysis: analyzeRuns(
      s.runs.filter((r) => r.condition !== 'mlp'),
      { bootstrap: { resamples: 50 } },
    ),
  });
  expect(noMlpRuns.find((f) => f.id === 'mlp')!.omitted).toMatch(/no MLP runs in this study/);
});

test('t_grok strip: censored runs sit at their cap with their own shape and legend entry', () => {
  const spec = grokTimesSpec(chartInput).spec as unknown as {
    layer: {
      data: { values: { condition: string; t: number; status: string }[] };
      encoding: Record<string, { scale?: { domain: string[]; range: string[] } }>;
    }[];
  };
  const points = spec.layer[0]!.data.values;
  const censored = points.filter((p) => p.status === 'censored (cap)');
  expect(censored.map((p) => p.condition).sort()).toEqual(['entropy-floor', 'mlp', 'mlp', 'mlp']); // 3 seeds: the last entropy-floor seed never groks
  expect(censored.filter((p) => p.condition === 'mlp').every((p) => p.t === 4000)).toBe(true);
  expect(censored.find((p) => p.condition === 'entropy-floor')!.t).toBe(6000);
  expect(spec.layer[0]!.encoding['shape']!.scale).toEqual({
    domain: ['grokked (t_grok)', 'censored (cap)'],
    range: ['circle', 'triangle-right'],
  });
  // Conditions in role order: baselines, interventions, control, non-abelian, MLP.
  expect([...new Set(points.map((p) => p.condition))]).toEqual([
    'baseline',
    'baseline-sub',
    'entropy-floor',
    'mixing',
    'norm-matched',
    'dihedral',
    'mlp',
  ]);
});

test('the alignment figure shows cyclic runs by Fourier, non-abelian ones by irreps, each with its H̃*', () => {
  type Point = { group?: string; label?: string };
  type Layer = { data?: { values: Point[] }; encoding?: Record<string, { scale?: unknown }> };
  const spec = alignmentSpec(chartInput).spec as unknown as { layer: Layer[] };
  const points = spec.layer[0]!.data!.values;
  const runsOf = (c: string) => s.runs.filter((r) => r.condition === c);
  const evaluations = (c: string) => runsOf(c).reduce((n, r) => n + r.records.length, 0);
  const count = (g: string) => points.filter((p) => p.group === g).length;
  expect(count('cyclic: Fourier')).toBe(evaluations('baseline') + evaluations('baseline-sub'));
  expect(count('non-abelian: irreps')).toBe(evaluations('dihedral'));
  const shapes = { domain: ['cyclic: Fourier', 'non-abelian: irreps'], range: ['circle', 'triangle-up'] };
  expect(spec.layer[0]!.encoding!['shape']!.scale).toEqual(shapes);
  const labels = spec.layer.flatMap((l) => (l.data?.values ?? []).flatMap((v) => (v.label ? [v.label] : [])));
  const rule = (who: string) => expect.stringMatching(new RegExp(`^${who} H̃\\* = 0\\.\\d{3}$`));
  expect(labels).toEqual([rule('baseline'), rule('non-abelian')]);
  // Without irreps records the figure is the cyclic one alone, as before.
  // Records without the tag at all (not set to undefined, which a record's type does not allow).
  const withoutIrreps = (x: RunRecord): RunRecord => ({
    ...x,
    metrics: Object.fromEntries(Object.entries(x.metrics).filter(([tag]) => tag !== 'irreps/alignment')),
  });
  const cyclicOnly = s.runs.map((r) => ({ ...r, records: r.records.map(withoutIrreps) }));
  const aloneInput = { ...chartInput, runs: cyclicOnly as typeof s.runs };
  const alone = alignmentSpec(aloneInput).spec as unknown as { layer: Layer[] };
  expect(new Set(alone.layer[0]!.data!.values.map((p) => p.group))).toEqual(new Set(['cyclic: Fourier']));
});

test('rendered figures are well-formed SVG with a title, axis titles and H̃* labelled where drawn', async () => {
  const figs = await renderStudyFigures(chartInput);
  for (const f of figs) {
    expect(wellFormed(f.svg!)[0]).toBe('svg');
    expect(f.svg).toMatch(/class="mark-text role-title-text"[^>]*><text[^>]*>[^<]+<\/text>/);
    expect(
      (f.svg!.match(/class="mark-text role-axis-title"[^>]*><text[^>]*>[^<]+<\/text>/g) ?? []).length,
    ).toBeGreaterThanOrEqual(2);
  }
  const svg = (id: string) => figs.find((f) => f.id === id)!.svg!;
  for (const id of ['aligned-entropy', 'mlp', 'fourier', 'norm-matched'])
    expect(svg(id)).toMatch(/>(baseline )?H̃\* = 0\.\d{3}<\/text>/);
  expect(svg('aligned-entropy')).toContain('>t_grok</text>');
  expect(svg('grok-times')).toContain('>censored (cap)</text>');
  expect(svg('forecast')).toContain('>y = x (forecast = actual)</text>');
  expect(svg('two-phases')).toMatch(/>‖θ‖ peak \(\d+\)<\/text>/);
});

test('writeStudyReport writes report.md, report.json, a self-contained report.html and figures/*.svg', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-study-'));
  try {
    const hostile = {
      ...input,
      claims: input.claims.map((c) =>
        c.id === 'C8' ? { ...c, ours: 'ρ | piped', why: 'a <script>alert(1)</script> & "quoted"' } : c,
      ),
    };
    const files = await writeStudyReport(hostile, out);
    expect(files.slice(0, 3).map((f) => path.basename(f))).toEqual(['report.md', 'report.json', 'report.html']);
    expect(
      files
        .slice(3)
        .map((f) => path.relative(out, f))
        .sort(),
    ).toEqual(
      ['abelian', 'aligned-entropy', 'forecast', 'fourier', 'grok-times', 'mlp', 'norm-matched', 'two-phases'].map(
        (id) => `figures/${id}.svg`,
      ),
    );

    const json = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as StudyReportJson;
    expect(json.schemaVersion).toBe(STUDY_REPORT_SCHEMA_VERSION);
    expect(json.schemaVersion).toBe(1);
    expect(json.study).toEqual(s.study);
    expect(json.study.command).toMatch(/^grokscope reproduce /);
    expect(json.claims).toHaveLength(8);
    expect(json.analysis).toEqual(JSON.parse(JSON.stringify(analysis)));
    expect(json.figures.find((f) => f.id === 'mlp')).toEqual({
      id: 'mlp',
      claims: ['C7'],
      name: 'MLP vs Transformer H̃',
      file: 'figures/mlp.svg',
      omitted: null,
    });

    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    const at = (s: string) => md.indexOf(s);
    expect(at('## Claims')).toBeGreaterThan(0);
    expect(at('## Claims')).toBeLessThan(at('## Analysis'));
    expect(at('## Analysis')).toBeLessThan(at('### Conditions'));
    expect(at('### Conditions')).toBeLessThan(at('## Figures'));
    expect(md).toContain('| C3: An intervention that keeps H̃ from collapsing delays grokking |');
    expect(md).toContain('ρ \\| piped');
    expect(md).toContain('](figures/forecast.svg)');
    expect(md).toContain('Wall time: 12 min 34 s');

    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('a &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect((html.match(/<tr data-claim="C\d">/g) ?? []).length).toBe(8);
    // The same chart under C3 and C4: two inline SVGs whose ids do not clash.
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect((html.match(/<figure data-figure="grok-times">/g) ?? []).length).toBe(2);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('a rewritten report drops a figure that is now omitted', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-study-'));
  try {
    await writeStudyReport(input, out);
    expect(fs.existsSync(path.join(out, 'figures', 'mlp.svg'))).toBe(true);
    const bare = syntheticStudy({ seeds: 2, withoutControls: true });
    await writeStudyReport({ ...bare, analysis: analyzeRuns(bare.runs, { bootstrap: { resamples: 50 } }) }, out);
    expect(fs.existsSync(path.join(out, 'figures', 'mlp.svg'))).toBe(false);
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('- C7 · MLP vs Transformer H̃: omitted — the study defines no MLP condition');
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('data-omitted="mlp"');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('formatDuration', () => {
  expect(formatDuration(12_340)).toBe('12.3 s');
  expect(formatDuration(754_000)).toBe('12 min 34 s');
  expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  expect(formatDuration(NaN)).toBe('–');
});
