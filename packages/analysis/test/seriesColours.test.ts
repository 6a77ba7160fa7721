/**
 * One colour per series in every chart the project draws: the run chart (run.svg, the report, the
 * dashboard), the dashboard's alignment chart and the study figures take their colour scales from
 * seriesColours.ts, so H̃, the accuracies and ‖θ‖ / max ‖θ‖ keep their colour from one picture to
 * the next, and a condition keeps its colour across the study figures. Read from the specs: every
 * colour encoding of a series (or condition) field has an explicit scale, never Vega's default.
 */
import { analyzeRuns } from '../src/analyzeRuns';
import { runChartSpec } from '../src/charts';
import { runAlignmentSpec } from '../src/dashboardSpecs';
import { SERIES, SERIES_COLOURS } from '../src/seriesColours';
import { studyFigures } from '../src/studyCharts';
import { syntheticStudy } from '../src/syntheticStudy';
import { A } from './fixtures';

interface Encoding {
  readonly field?: string;
  readonly type?: string;
  readonly scale?: { readonly domain?: string[]; readonly range?: string[] };
}

interface ColourUse {
  readonly field: string;
  readonly domain: readonly string[] | undefined;
  readonly range: readonly string[] | undefined;
}

/** Every colour encoding in a Vega-Lite spec (layers and concatenations included). */
function colourUses(spec: unknown): ColourUse[] {
  const out: ColourUse[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (typeof x !== 'object' || x === null) return;
    const o = x as Record<string, unknown>;
    const enc = o['encoding'] as Record<string, Encoding> | undefined;
    const c = enc?.['color'];
    if (c?.field && c.type === 'nominal') out.push({ field: c.field, domain: c.scale?.domain, range: c.scale?.range });
    Object.values(o).forEach(visit);
  };
  visit(spec);
  return out;
}

/** name → colour over all uses of `field`; fails on a use without an explicit scale or a name given two colours. */
function colourMap(specs: readonly { chart: string; spec: unknown }[], field: string): Map<string, string> {
  const seen = new Map<string, { colour: string; chart: string }>();
  for (const { chart, spec } of specs)
    for (const u of colourUses(spec).filter((x) => x.field === field)) {
      const explicit = Array.isArray(u.domain) && Array.isArray(u.range) && u.range.length === u.domain.length;
      expect({ chart, field, explicit }).toEqual({ chart, field, explicit: true });
      u.domain!.forEach((name, i) => {
        const was = seen.get(name);
        if (was) expect({ name, chart, colour: u.range![i] }).toEqual({ name, chart, colour: was.colour });
        else seen.set(name, { colour: u.range![i]!, chart });
      });
    }
  return new Map([...seen].map(([k, v]) => [k, v.colour]));
}

test('each series in one colour: run chart (report, run.svg, dashboard), alignment chart, study figures', () => {
  const run = { name: 'A', records: A.map((r) => ({ ...r, metrics: { ...r.metrics, 'fourier/alignment': 0.5 } })) };
  const s = syntheticStudy({ seeds: 3 });
  const figures = studyFigures({ ...s, analysis: analyzeRuns(s.runs, { bootstrap: { resamples: 50 } }) });
  const events = { tCross: 300, tGrok: 400, threshold: 0.6 };
  const specs = [
    { chart: 'report run chart', spec: runChartSpec(run, events) },
    { chart: 'run.svg', spec: runChartSpec(run, { tMem: 100, ...events }, { trainAccuracy: true, labelSteps: true }) },
    { chart: 'dashboard alignment', spec: runAlignmentSpec('A', run.records) },
    ...figures.map((f) => ({ chart: f.id, spec: f.spec })),
  ];
  const colours = colourMap(specs, 'series');
  // All four series of run.svg and the alignment drawn, each in the owner's colour.
  expect(Object.fromEntries(colours)).toEqual(SERIES_COLOURS);
  expect(new Set(Object.values(SERIES_COLOURS)).size).toBe(Object.values(SERIES).length);
});

test('a condition keeps its colour in every study figure that colours by condition', () => {
  const s = syntheticStudy({ seeds: 3 });
  const figures = studyFigures({ ...s, analysis: analyzeRuns(s.runs, { bootstrap: { resamples: 50 } }) });
  const colours = colourMap(
    figures.map((f) => ({ chart: f.id, spec: f.spec })),
    'condition',
  );
  // baseline and baseline-sub (C2, C6), the intervention and the norm-matched control (C4), the non-abelian group (C6).
  expect(colours.size).toBeGreaterThanOrEqual(4);
  expect(new Set(colours.values()).size).toBe(colours.size);
});
