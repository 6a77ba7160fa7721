import type { TopLevelSpec } from 'vega-lite';
import type { AnalysisDocument, RunRow } from './analyzeRuns';
import type { StudyRoles } from './claims/claimModule';
import { CLAIM_MODULES } from './claims/claimRegistry';
import type { ClaimId } from './verdictRules';
import { renderSvg, X_AXIS } from './charts';
import type { EventOptions } from './events';
import { METRIC_TAGS } from '@grokscope/base';
import { analyzeForecast } from './forecast';
import { extentDomain, horizontalRuleLayers, verticalRuleLayers } from './ruleLayers';
import type { RunData, RunRecord } from './runReader';
import { runState } from './runSet';
import { conditionColourScale, OUTCOME_COLOURS, SERIES, seriesColourScale } from './seriesColours';
import { analyzeThreshold, runMinimum, type ThresholdAnalysis, type ThresholdRule } from './threshold';

export interface StudyChartInput {
  /** The runs the analysis was made from (matched to `analysis.runs` by directory). */
  readonly runs: readonly RunData[];
  readonly analysis: AnalysisDocument;
  readonly roles: StudyRoles;
  /** Metric tag of the Fourier alignment (default `fourier/alignment`). */
  readonly alignmentTag?: string;
}

export type StudyFigureId =
  | 'two-phases'
  | 'aligned-entropy'
  | 'grok-times'
  | 'norm-matched'
  | 'forecast'
  | 'abelian'
  | 'mlp'
  | 'fourier';

/** A chart's spec, or why there is none (its data is missing: no MLP runs, no grokked run…). */
export type FigureSpec =
  | { readonly spec: TopLevelSpec; readonly omitted: null }
  | { readonly spec: null; readonly omitted: string };

export interface StudyFigure {
  readonly id: StudyFigureId;
  /** The claims this figure is evidence for (the report shows it in each claim's section). */
  readonly claims: readonly ClaimId[];
  /** Short name of the figure (the chart itself carries a longer title). */
  readonly name: string;
  readonly spec: TopLevelSpec | null;
  /** Why the figure is left out, when it is. */
  readonly omitted: string | null;
}

export interface RenderedStudyFigure extends StudyFigure {
  /** The chart as SVG (null when omitted). */
  readonly svg: string | null;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const W = 560;
const H = 280;
const GROKKED = 'grokked (t_grok)';
const CENSORED = 'censored (cap)';
const TRANSFORMER = 'Transformer (baseline)';

/** Every figure of the study report, in claim order; figures whose data is missing carry `omitted`. */
export function studyFigures(input: StudyChartInput): StudyFigure[] {
  // Which claims a figure shows is each claim module's to say (its `figures`).
  const claimsOf = (id: StudyFigureId): ClaimId[] =>
    CLAIM_MODULES.filter((m) => m.figures.includes(id)).map((m) => m.id);
  const fig = (id: StudyFigureId, name: string, f: FigureSpec): StudyFigure => ({
    id,
    claims: claimsOf(id),
    name,
    spec: f.spec,
    omitted: f.omitted,
  });
  return [
    fig('two-phases', 'weight norm and H̃: two phases', twoPhasesSpec(input)),
    fig('aligned-entropy', 'H̃ aligned at t_grok, with H̃*', alignedEntropySpec(input)),
    fig('grok-times', 't_grok per condition', grokTimesSpec(input)),
    fig('norm-matched', 'norm-matched control: ‖θ‖ and H̃', normMatchedSpec(input)),
    fig('forecast', 'forecast against actual t_grok', forecastSpec(input)),
    fig('abelian', 'abelian vs non-abelian H̃*', abelianSpec(input)),
    fig('mlp', 'MLP vs Transformer H̃', mlpSpec(input)),
    fig('fourier', 'Fourier (and irreps) alignment vs H̃', alignmentSpec(input)),
  ];
}

/** studyFigures with each chart rendered to SVG by `renderSvg` (the same spec the HTML report inlines). */
export async function renderStudyFigures(input: StudyChartInput): Promise<RenderedStudyFigure[]> {
  const out: RenderedStudyFigure[] = [];
  for (const f of studyFigures(input)) out.push({ ...f, svg: f.spec ? await renderSvg(f.spec) : null });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

interface Joined {
  readonly row: RunRow;
  readonly data: RunData;
}

const eventOptions = (a: AnalysisDocument): EventOptions => ({
  memorised: a.thresholds.memorised,
  grokked: a.thresholds.grokked,
  entropyTag: a.thresholds.entropyTag,
});

/** Finished runs of the analysis (its unique names) with their records, in the analysis's order. */
function joined(input: StudyChartInput, conditions?: readonly string[]): Joined[] {
  const byDir = new Map(input.runs.map((r) => [r.dir, r]));
  return input.analysis.runs.flatMap((row) => {
    const data = byDir.get(row.dir);
    return data && (!conditions || conditions.includes(row.condition)) ? [{ row, data }] : [];
  });
}

/** The threshold rule the analysis used for these conditions (default: max of the minima). */
function ruleFor(a: AnalysisDocument, conditions: readonly string[]): ThresholdRule {
  return a.conditions.find((c) => conditions.includes(c.condition))?.threshold.rule ?? { kind: 'max' };
}

/** H̃* pooled over the runs of these conditions, by the analysis's rule. */
function pooledThreshold(input: StudyChartInput, conditions: readonly string[]): ThresholdAnalysis {
  const runs = joined(input, conditions).map((j) => ({ name: j.row.name, records: j.data.records }));
  return analyzeThreshold(runs, ruleFor(input.analysis, conditions), eventOptions(input.analysis));
}

const f3 = (x: number) => x.toFixed(3);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const valueAt = (records: readonly RunRecord[], step: number, tag: string) =>
  records.find((r) => r.step === step)?.metrics[tag];
const lastStep = (j: Joined): number =>
  runState(j.data).stepReached ?? j.data.records[j.data.records.length - 1]?.step ?? 0;
/** A deterministic spread in [-1, 1] for the i-th of n points (strip-plot jitter without randomness). */
const jitter = (i: number, n: number) => (n <= 1 ? 0 : (2 * i) / (n - 1) - 1);
const omit = (why: string): FigureSpec => ({ spec: null, omitted: why });
const CONFIG = { legend: { labelLimit: 400, titleLimit: 400 }, axisX: X_AXIS };
const chart = (spec: Record<string, unknown>): FigureSpec => ({
  spec: { $schema: SCHEMA, ...spec, config: CONFIG } as TopLevelSpec,
  omitted: null,
});
/** Conditions in the order of their roles (baselines, interventions, control, non-abelian, MLP), then any others. */
function conditionOrder(input: StudyChartInput): string[] {
  const r = input.roles;
  const byRole = [...r.baseline, r.intervention, r.intervention2, r.normMatched, r.nonAbelian, r.mlp].filter(
    (c): c is string => typeof c === 'string',
  );
  const present = input.analysis.conditions.map((c) => c.condition);
  return [...new Set([...byRole.filter((c) => present.includes(c)), ...present])];
}
/** The figures' H̃* rules (bold labels) and event rules. */
const THRESHOLD_RULE = { ruleColour: '#333', labelColour: '#333', strokeDash: [6, 3], bold: true } as const;
const EVENT_RULE = { ruleColour: '#555', labelColour: '#222', strokeDash: [3, 3] } as const;
/** A horizontal H̃* rule (y field `h`) labelled right of the plot, level with the rule: no curve runs there. */
function thresholdLayers(h: number, label = `H̃* = ${f3(h)}`) {
  return horizontalRuleLayers({ value: h, label }, W, { field: 'h', ...THRESHOLD_RULE });
}
/** The colour scale of `shown`, each condition in its colour in every figure that colours by condition. */
function conditionColours(input: StudyChartInput, shown?: readonly string[]) {
  return conditionColourScale(conditionOrder(input), shown);
}
const noneOf = (roles: readonly (string | undefined)[], what: string) =>
  `no ${what} runs in this study (role${roles.length > 1 ? 's' : ''} ${roles.map((r) => r ?? 'unset').join(', ')})`;

// ---------------------------------------------------------------------------------------------
// (C1) weight norm and H̃ of one representative baseline run

/**
 * C1: ‖θ‖ (divided by its maximum), H̃ and test accuracy of one representative baseline run —
 * the grokked run with the median t_grok — with the norm peak, the onset of H̃ collapse and t_grok
 * as labelled rules (their labels in rows above the plot, so near-coincident events do not overprint).
 */
export function twoPhasesSpec(input: StudyChartInput): FigureSpec {
  const tag = input.analysis.thresholds.entropyTag;
  const base = joined(input, input.roles.baseline).filter((j) =>
    j.data.records.some((r) => r.metrics[tag] !== undefined && r.metrics[METRIC_TAGS.normWeights] !== undefined),
  );
  if (!base.length) return omit(noneOf(input.roles.baseline, 'baseline') + ' with H̃ and weight norm recorded');
  const grokked = base
    .filter((j) => j.row.tGrok !== null)
    .sort((a, b) => a.row.tGrok! - b.row.tGrok! || a.row.name.localeCompare(b.row.name));
  const pick = grokked.length ? grokked[Math.floor((grokked.length - 1) / 2)]! : base[0]!;
  const maxNorm = Math.max(1e-12, ...pick.data.records.map((r) => r.metrics[METRIC_TAGS.normWeights] ?? 0));
  const series = [SERIES.entropy, SERIES.relativeNorm, SERIES.testAccuracy];
  const values = pick.data.records.flatMap((r) => {
    const h = r.metrics[tag];
    const n = r.metrics[METRIC_TAGS.normWeights];
    const acc = r.metrics[METRIC_TAGS.accuracyTest];
    return [
      ...(h !== undefined ? [{ step: r.step, series: series[0], value: h }] : []),
      ...(n !== undefined ? [{ step: r.step, series: series[1], value: n / maxNorm }] : []),
      ...(acc !== undefined ? [{ step: r.step, series: series[2], value: acc }] : []),
    ];
  });
  const ph = pick.row.phases;
  const onset = ph.collapseOnset;
  const events = [
    ...(ph.normPeak !== null ? [{ value: ph.normPeak, label: `‖θ‖ peak (${ph.normPeak})` }] : []),
    ...(onset !== null ? [{ value: onset, label: `H̃ collapse onset (${onset})` }] : []),
    ...(pick.row.tGrok !== null ? [{ value: pick.row.tGrok, label: `t_grok (${pick.row.tGrok})` }] : []),
  ];
  const domain = extentDomain([...pick.data.records.map((r) => r.step), ...events.map((e) => e.value)]);
  const phased = base.filter((j) => j.row.phases.normFirst !== null);
  const share = phased.length
    ? `‖θ‖ peaks before the H̃ collapse onset in ${phased.filter((j) => j.row.phases.normFirst).length} of ${phased.length} baseline runs`
    : 'no baseline run has both a norm peak and a collapse onset';
  return chart({
    title: {
      text: 'C1 · two phases: weight-norm expansion, then entropy collapse',
      subtitle: [
        `${pick.row.name} (${grokked.length ? `median t_grok of ${plural(grokked.length, 'grokked baseline run')}` : 'no baseline run grokked'}); ${share}`,
      ],
    },
    width: W,
    height: H,
    layer: [
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'training step', scale: { domain, nice: false } },
          y: {
            field: 'value',
            type: 'quantitative',
            scale: { domain: [0, 1.05] },
            axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
            title: 'H̃, ‖θ‖ / max ‖θ‖, test accuracy',
          },
          color: {
            field: 'series',
            type: 'nominal',
            scale: seriesColourScale(series),
            title: 'series',
            legend: { orient: 'bottom' },
          },
          strokeDash: {
            field: 'series',
            type: 'nominal',
            scale: {
              domain: series,
              range: [
                [1, 0],
                [6, 3],
                [2, 2],
              ],
            },
            title: 'series',
            legend: { orient: 'bottom' },
          },
        },
      },
      ...verticalRuleLayers(events, domain, W, { field: 'step', ...EVENT_RULE }),
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// (C2) H̃ of the baseline runs aligned at t_grok, with H̃* and the band of per-run minima

/** C2: H̃ against step − t_grok for every grokked baseline run; H̃* as a labelled rule over the band of per-run minima m_r. */
export function alignedEntropySpec(input: StudyChartInput): FigureSpec {
  const tag = input.analysis.thresholds.entropyTag;
  const base = joined(input, input.roles.baseline);
  const grokked = base.filter((j) => j.row.tGrok !== null);
  if (!grokked.length)
    return omit(
      base.length
        ? 'no baseline run grokked, so nothing can be aligned at t_grok'
        : noneOf(input.roles.baseline, 'baseline'),
    );
  const values = grokked.flatMap((j) =>
    j.data.records
      .filter((r) => r.metrics[tag] !== undefined)
      .map((r) => ({ run: j.row.name, condition: j.row.condition, offset: r.step - j.row.tGrok!, h: r.metrics[tag]! })),
  );
  const offsets = extentDomain([0, ...values.map((v) => v.offset)]);
  const shownConditions = conditionOrder(input).filter((c) => values.some((v) => v.condition === c));
  const th = pooledThreshold(input, input.roles.baseline);
  const minima = grokked
    .map((j) => runMinimum(j.data.records, eventOptions(input.analysis)))
    .filter((m): m is number => m !== null);
  const censored = base.length - grokked.length;
  const subtitle = [
    `${plural(grokked.length, 'grokked baseline run')}${censored ? `; ${plural(censored, 'censored run')} not shown (no t_grok)` : ''}`,
    th.threshold !== null && minima.length
      ? `shaded band: per-run minima m_r between t_mem and t_grok (${f3(Math.min(...minima))}–${f3(Math.max(...minima))}); dashed rule: H̃* (${th.rule.kind === 'fixed' ? 'fixed' : th.rule.kind === 'max' ? 'max of m_r' : `quantile ${th.rule.q} of m_r`})`
      : 'no run has a minimum m_r between t_mem and t_grok, so there is no H̃*',
  ];
  return chart({
    title: { text: 'C2 · H̃ of the baseline runs aligned at t_grok', subtitle },
    width: W,
    height: H,
    layer: [
      ...(minima.length
        ? [
            {
              data: { values: [{ lo: Math.min(...minima), hi: Math.max(...minima) }] },
              mark: { type: 'rect', color: OUTCOME_COLOURS.minimaBand, opacity: 0.18 },
              encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
            },
          ]
        : []),
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5, opacity: 0.8 },
        encoding: {
          x: {
            field: 'offset',
            type: 'quantitative',
            title: 'steps relative to t_grok (step − t_grok)',
            scale: { domain: offsets, nice: false },
          },
          y: { field: 'h', type: 'quantitative', scale: { zero: false }, title: 'normalised spectral entropy H̃' },
          color: {
            field: 'condition',
            type: 'nominal',
            scale: conditionColours(input, shownConditions),
            title: 'condition (one line per run)',
            legend: { orient: 'bottom' },
          },
          detail: { field: 'run', type: 'nominal' },
        },
      },
      ...verticalRuleLayers([{ value: 0, label: 't_grok' }], offsets, W, { field: 'offset', ...EVENT_RULE }),
      ...(th.threshold !== null ? thresholdLayers(th.threshold) : []),
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// (C3, C4) t_grok per condition, censored runs at their cap

/** C3/C4: t_grok of every finished run per condition (strip plot), censored runs drawn at their step cap with their own shape. */
export function grokTimesSpec(input: StudyChartInput): FigureSpec {
  const rows = joined(input);
  if (!rows.length) return omit('no finished runs');
  const order = conditionOrder(input);
  const values = order.flatMap((c) => {
    const rs = rows.filter((j) => j.row.condition === c);
    return rs.map((j, i) => ({
      condition: c,
      run: j.row.name,
      t: j.row.tGrok ?? lastStep(j),
      status: j.row.tGrok !== null ? GROKKED : CENSORED,
      jitter: jitter(i, rs.length),
    }));
  });
  const means = order.flatMap((c) => {
    const ts = rows.filter((j) => j.row.condition === c && j.row.tGrok !== null).map((j) => j.row.tGrok!);
    return ts.length ? [{ condition: c, mean: ts.reduce((s, t) => s + t, 0) / ts.length }] : [];
  });
  const censored = values.filter((v) => v.status === CENSORED).length;
  const maxT = Math.max(1, ...values.map((v) => v.t));
  const unfinished = input.analysis.unfinished.length;
  const subtitle = [
    `${plural(values.length, 'finished run')}, ${censored} censored (never grokked: drawn at the last step it ran); black tick: mean t_grok of the grokked runs`,
    ...(unfinished ? [`${plural(unfinished, 'unfinished run')} not shown (not counted)`] : []),
  ];
  return chart({
    title: { text: 'C3 · C4 · t_grok per condition', subtitle },
    width: W,
    height: { step: 46 },
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 70, opacity: 0.85 },
        encoding: {
          y: { field: 'condition', type: 'nominal', sort: order, title: 'condition' },
          x: {
            field: 't',
            type: 'quantitative',
            title: 't_grok (training step)',
            // From 0, with room right of the last point: a censored run's marker is drawn at its cap.
            scale: { domain: [0, maxT * (1 + 12 / W)], nice: false },
          },
          yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-1.6, 1.6] } },
          shape: {
            field: 'status',
            type: 'nominal',
            scale: { domain: [GROKKED, CENSORED], range: ['circle', 'triangle-right'] },
            title: 'run',
            legend: { orient: 'bottom' },
          },
          color: {
            field: 'status',
            type: 'nominal',
            scale: { domain: [GROKKED, CENSORED], range: [OUTCOME_COLOURS.grokked, OUTCOME_COLOURS.censored] },
            title: 'run',
            legend: { orient: 'bottom' },
          },
          tooltip: [{ field: 'run' }, { field: 't', title: 'step' }],
        },
      },
      {
        data: { values: means },
        mark: { type: 'tick', color: 'black', thickness: 2 },
        encoding: {
          y: { field: 'condition', type: 'nominal', sort: order },
          x: { field: 'mean', type: 'quantitative' },
        },
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// (C4) norm-matched control against the intervention it follows

/** C4: ‖θ‖ (top) and H̃ (bottom) of the intervention runs, the norm-matched runs that follow them, and the main baseline (`baseline`, else the first). */
export function normMatchedSpec(input: StudyChartInput): FigureSpec {
  const { intervention, normMatched } = input.roles;
  const tag = input.analysis.thresholds.entropyTag;
  if (!intervention || !normMatched) return omit('the study defines no intervention and norm-matched pair');
  const mainBaseline = input.roles.baseline.includes('baseline') ? 'baseline' : input.roles.baseline[0];
  const conds = [...(mainBaseline !== undefined ? [mainBaseline] : []), intervention, normMatched];
  const rs = joined(input, conds);
  if (!rs.some((j) => j.row.condition === normMatched)) return omit(noneOf([normMatched], 'norm-matched'));
  if (!rs.some((j) => j.row.condition === intervention)) return omit(noneOf([intervention], 'intervention'));
  const values = rs.flatMap((j) =>
    j.data.records.map((r) => ({
      run: j.row.name,
      condition: j.row.condition,
      step: r.step,
      norm: r.metrics[METRIC_TAGS.normWeights],
      h: r.metrics[tag],
    })),
  );
  const color = {
    field: 'condition',
    type: 'nominal',
    scale: conditionColours(input, conds),
    title: 'condition (one line per run)',
    legend: { orient: 'bottom' },
  };
  const th = pooledThreshold(input, input.roles.baseline).threshold;
  return chart({
    title: {
      text: 'C4 · norm-matched control: the same weight norm, a different H̃',
      subtitle: [`${normMatched} follows the weight norm of ${intervention} without its entropy constraint`],
    },
    data: { values },
    vconcat: [
      {
        width: W,
        height: 170,
        transform: [{ filter: 'isValid(datum.norm)' }],
        mark: { type: 'line', strokeWidth: 1.3, opacity: 0.75 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'training step' },
          y: { field: 'norm', type: 'quantitative', scale: { zero: false }, title: 'weight norm ‖θ‖₂' },
          color,
          detail: { field: 'run', type: 'nominal' },
        },
      },
      {
        width: W,
        height: 170,
        layer: [
          {
            transform: [{ filter: 'isValid(datum.h)' }],
            mark: { type: 'line', strokeWidth: 1.3, opacity: 0.75 },
            encoding: {
              x: { field: 'step', type: 'quantitative', title: 'training step' },
              y: { field: 'h', type: 'quantitative', scale: { zero: false }, title: 'H̃' },
              color,
              detail: { field: 'run', type: 'nominal' },
            },
          },
          ...(th !== null ? thresholdLayers(th, `baseline H̃* = ${f3(th)}`) : []),
        ],
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// (C5) leave-one-run-out forecasts against the actual t_grok

/** C5: every leave-one-run-out forecast t̂_grok of the baseline runs (pooled over the baseline conditions) against the run's actual t_grok, with y = x. */
export function forecastSpec(input: StudyChartInput): FigureSpec {
  // Pooled over the baseline conditions, as the claims table's C5 does: H̃* and the law from the other baseline runs.
  const base = joined(input, input.roles.baseline);
  const conditionOf = new Map(base.map((j) => [j.row.name, j.row.condition]));
  const f = analyzeForecast(
    base.map((j) => ({ name: j.row.name, records: j.data.records })),
    eventOptions(input.analysis),
    ruleFor(input.analysis, input.roles.baseline),
  );
  const values = f.leaveOneOut.flatMap((s) =>
    s.points.map((p) => ({
      condition: conditionOf.get(s.name)!,
      run: s.name,
      actual: p.actual,
      predicted: p.predicted,
      lead: p.actual - p.step,
    })),
  );
  if (!values.length)
    return omit(
      'no leave-one-run-out forecast could be scored (it needs at least 2 grokked baseline runs and a power-law fit on the others)',
    );
  const maxActual = Math.max(...values.map((v) => v.actual));
  const hi = Math.max(maxActual, Math.min(Math.max(...values.map((v) => v.predicted)), 2.5 * maxActual)) * 1.05;
  const lo = Math.min(0, Math.max(Math.min(...values.map((v) => v.predicted)), -0.5 * maxActual));
  const clipped = values.filter((v) => v.predicted > hi || v.predicted < lo).length;
  const runs = new Set(values.map((v) => v.run)).size;
  return chart({
    title: {
      text: 'C5 · forecast of t_grok against the actual t_grok (leave-one-run-out)',
      subtitle: [
        `${plural(values.length, 'forecast')} from ${plural(runs, 'held-out baseline run')}: H̃* and the power law fitted on the other runs; colour: steps before t_grok`,
        ...(clipped ? [`${plural(clipped, 'forecast')} outside the plotted range not drawn`] : []),
      ],
    },
    width: 420,
    height: 420,
    layer: [
      {
        data: { values: [{ a: lo, b: hi }] },
        mark: { type: 'rule', color: '#888', strokeDash: [5, 3] },
        encoding: {
          x: { field: 'a', type: 'quantitative' },
          y: { field: 'a', type: 'quantitative' },
          x2: { field: 'b' },
          y2: { field: 'b' },
        },
      },
      // Along the diagonal near its low end, above the line (the chart is square with equal domains, so the line runs at 45°).
      {
        data: { values: [{ at: lo + 0.06 * (hi - lo), label: 'y = x (forecast = actual)' }] },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -3, color: '#555', angle: -45 },
        encoding: {
          x: { field: 'at', type: 'quantitative' },
          y: { field: 'at', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
      {
        data: { values },
        transform: [{ filter: { field: 'predicted', range: [lo, hi] } }],
        mark: { type: 'point', filled: true, size: 36, opacity: 0.75 },
        encoding: {
          x: {
            field: 'actual',
            type: 'quantitative',
            scale: { domain: [lo, hi], nice: false },
            title: 'actual t_grok (step)',
          },
          y: {
            field: 'predicted',
            type: 'quantitative',
            scale: { domain: [lo, hi], nice: false },
            title: 'forecast t̂_grok (step)',
          },
          color: {
            field: 'lead',
            type: 'quantitative',
            scale: { scheme: 'viridis' },
            title: 'steps before t_grok',
            legend: { orient: 'right' },
          },
          shape: { field: 'condition', type: 'nominal', title: 'condition', legend: { orient: 'right' } },
        },
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// (C6) abelian vs non-abelian per-run minima and H̃*

/** C6: the per-run minima m_r of the abelian (baseline) and non-abelian runs, each group's H̃* as a labelled tick. */
export function abelianSpec(input: StudyChartInput): FigureSpec {
  const nonAbelian = input.roles.nonAbelian;
  if (!nonAbelian) return omit('the study defines no non-abelian condition');
  const eo = eventOptions(input.analysis);
  const groups = [
    { group: 'abelian', conds: input.roles.baseline },
    { group: 'non-abelian', conds: [nonAbelian] },
  ];
  const na = joined(input, [nonAbelian]);
  if (!na.length) return omit(noneOf([nonAbelian], 'non-abelian'));
  const points = groups.flatMap(({ group, conds }) => {
    const ms = joined(input, conds).flatMap((j) => {
      const m = runMinimum(j.data.records, eo);
      return m === null ? [] : [{ group, condition: j.row.condition, run: j.row.name, m }];
    });
    return ms.map((p, i) => ({ ...p, jitter: jitter(i, ms.length) }));
  });
  if (!points.some((p) => p.group === 'non-abelian'))
    return omit(`no ${nonAbelian} run grokked, so the non-abelian H̃* is undefined`);
  const ths = groups.flatMap(({ group, conds }) => {
    const t = pooledThreshold(input, conds);
    return t.threshold !== null ? [{ group, h: t.threshold, label: `H̃* = ${f3(t.threshold)}` }] : [];
  });
  const counts = groups.map(({ group, conds }) => {
    const all = joined(input, conds);
    const with_ = points.filter((p) => p.group === group).length;
    return `${group}: m_r of ${with_} of ${plural(all.length, 'run')}`;
  });
  const step = 76;
  return chart({
    title: {
      text: 'C6 · abelian vs non-abelian: per-run minima of H̃ and H̃*',
      subtitle: [`${counts.join('; ')} (censored runs have no m_r); tick and label: each group's H̃*`],
    },
    width: W,
    height: { step },
    layer: [
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 60, opacity: 0.8 },
        encoding: {
          y: { field: 'group', type: 'nominal', sort: ['abelian', 'non-abelian'], title: 'group' },
          x: {
            field: 'm',
            type: 'quantitative',
            scale: { zero: false, padding: 30 },
            title: 'per-run minimum m_r of H̃ (between t_mem and t_grok)',
          },
          yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-3, 3] } },
          color: {
            field: 'condition',
            type: 'nominal',
            scale: conditionColours(input, [...new Set(points.map((p) => p.condition))]),
            title: 'condition',
            legend: { orient: 'bottom' },
          },
        },
      },
      {
        data: { values: ths },
        mark: { type: 'tick', color: 'black', thickness: 2, size: step - 30 },
        encoding: {
          y: { field: 'group', type: 'nominal', sort: ['abelian', 'non-abelian'] },
          x: { field: 'h', type: 'quantitative' },
        },
      },
      {
        data: { values: ths },
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'top',
          dx: 4,
          dy: -step / 2 + 2,
          color: '#111',
          fontWeight: 'bold',
        },
        encoding: {
          y: { field: 'group', type: 'nominal', sort: ['abelian', 'non-abelian'] },
          x: { field: 'h', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// (C7) MLP vs Transformer H̃

/** C7: H̃ over training of the MLP runs beside the baseline Transformer runs; where each run grokked (or where a censored run ended) is marked. */
export function mlpSpec(input: StudyChartInput): FigureSpec {
  const mlp = input.roles.mlp;
  if (!mlp) return omit('the study defines no MLP condition');
  const tag = input.analysis.thresholds.entropyTag;
  const m = joined(input, [mlp]);
  if (!m.length) return omit(noneOf([mlp], 'MLP'));
  const rs = [
    ...joined(input, input.roles.baseline).map((j) => ({ ...j, model: TRANSFORMER })),
    ...m.map((j) => ({ ...j, model: `MLP (${mlp})` })),
  ];
  const values = rs.flatMap((j) =>
    j.data.records
      .filter((r) => r.metrics[tag] !== undefined)
      .map((r) => ({ model: j.model, run: j.row.name, step: r.step, h: r.metrics[tag]! })),
  );
  const marks = rs.flatMap((j) => {
    const step = j.row.tGrok ?? lastStep(j);
    const h =
      valueAt(j.data.records, step, tag) ??
      [...j.data.records].reverse().find((r) => r.metrics[tag] !== undefined)?.metrics[tag];
    return h === undefined
      ? []
      : [{ model: j.model, run: j.row.name, step, h, event: j.row.tGrok !== null ? GROKKED : CENSORED }];
  });
  const th = pooledThreshold(input, input.roles.baseline).threshold;
  const grokkedMlp = m.filter((j) => j.row.tGrok !== null).length;
  const transformer = rs.filter((j) => j.model === TRANSFORMER);
  const models = [TRANSFORMER, `MLP (${mlp})`];
  const modelScale = { domain: models, range: [OUTCOME_COLOURS.transformer, OUTCOME_COLOURS.mlp] };
  const modelColour = {
    field: 'model',
    type: 'nominal',
    scale: modelScale,
    title: 'model (one line per run)',
    legend: { orient: 'bottom' },
  };
  return chart({
    title: {
      text: 'C7 · MLP vs Transformer: H̃ over training',
      subtitle: [
        `MLP: ${grokkedMlp} of ${plural(m.length, 'run')} grokked; Transformer (baseline): ${transformer.filter((j) => j.row.tGrok !== null).length} of ${transformer.length} grokked`,
      ],
    },
    width: W,
    height: H,
    layer: [
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.3, opacity: 0.7 },
        encoding: {
          // Room around the plot for the end markers: a censored run's sits on its cap, at the right edge.
          x: { field: 'step', type: 'quantitative', title: 'training step', scale: { padding: 8, nice: false } },
          y: {
            field: 'h',
            type: 'quantitative',
            scale: { zero: false, padding: 8, nice: false },
            title: 'normalised spectral entropy H̃',
          },
          color: modelColour,
          detail: { field: 'run', type: 'nominal' },
        },
      },
      {
        data: { values: marks },
        mark: { type: 'point', filled: true, size: 60, stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'step', type: 'quantitative' },
          y: { field: 'h', type: 'quantitative' },
          color: modelColour,
          shape: {
            field: 'event',
            type: 'nominal',
            scale: { domain: [GROKKED, CENSORED], range: ['circle', 'cross'] },
            title: 'end marker',
            legend: { orient: 'bottom' },
          },
        },
      },
      ...(th !== null ? thresholdLayers(th, `baseline H̃* = ${f3(th)}`) : []),
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// (C8) Fourier alignment vs H̃

/**
 * C8: alignment against H̃ at every evaluation, coloured by training phase: the baseline runs'
 * Fourier alignment, and beside them, by marker shape, the non-abelian runs' alignment through
 * their group's irreps when they recorded it (the same measure, docs/science.md), each group
 * with its own H̃*.
 */
export function alignmentSpec(input: StudyChartInput): FigureSpec {
  const tag = input.analysis.thresholds.entropyTag;
  const phases = ['before t_mem', 'memorised, before t_grok', 'after t_grok'];
  const phaseColours = [OUTCOME_COLOURS.beforeMemorised, OUTCOME_COLOURS.memorised, OUTCOME_COLOURS.afterGrokked];
  const nonAbelian = input.roles.nonAbelian;
  const fourier = input.alignmentTag ?? METRIC_TAGS.fourierAlignment;
  const irreps = METRIC_TAGS.irrepAlignment;
  const groups = [
    { group: 'cyclic: Fourier', who: 'baseline', conds: input.roles.baseline, atag: fourier },
    ...(nonAbelian ? [{ group: 'non-abelian: irreps', who: 'non-abelian', conds: [nonAbelian], atag: irreps }] : []),
  ];
  const phaseOf = (j: Joined, step: number) => {
    if (j.row.tMem === null || step < j.row.tMem) return phases[0];
    return j.row.tGrok === null || step < j.row.tGrok ? phases[1] : phases[2];
  };
  const base = joined(input, input.roles.baseline);
  const points = groups.map((g) =>
    joined(input, g.conds).flatMap((j) =>
      j.data.records
        .filter((r) => r.metrics[tag] !== undefined && r.metrics[g.atag] !== undefined)
        .map((r) => ({
          run: j.row.name,
          group: g.group,
          h: r.metrics[tag]!,
          a: r.metrics[g.atag]!,
          phase: phaseOf(j, r.step),
        })),
    ),
  );
  const values = points.flat();
  if (!values.length) {
    if (!base.length) return omit(noneOf(input.roles.baseline, 'baseline'));
    return omit(`no baseline run recorded \`${fourier}\` (the fourier probe; cyclic tasks only)`);
  }
  const shown = groups.filter((_, i) => points[i]!.length > 0);
  // Each group shown gets its own H̃* rule, named by its role when there are two.
  const thRule = shown.flatMap((g) => {
    const th = pooledThreshold(input, g.conds).threshold;
    return th === null ? [] : [{ value: th, label: `${shown.length > 1 ? `${g.who} ` : ''}H̃* = ${f3(th)}` }];
  });
  const hs = extentDomain([...values.map((v) => v.h), ...thRule.map((r) => r.value)], 8, W);
  const counts = shown.map((g) => {
    const n = points[groups.indexOf(g)]!;
    return `${g.group}: ${plural(n.length, 'evaluation')} of ${plural(new Set(n.map((v) => v.run)).size, 'run')}`;
  });
  const measure = 'alignment: share of embedding energy in the top Fourier frequencies (cyclic) or irreps';
  return chart({
    title: { text: 'C8 · alignment against H̃ over training', subtitle: [counts.join('; '), measure] },
    width: W,
    height: H,
    layer: [
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 22, opacity: 0.65 },
        encoding: {
          x: {
            field: 'h',
            type: 'quantitative',
            scale: { domain: hs, nice: false },
            title: 'normalised spectral entropy H̃',
          },
          y: { field: 'a', type: 'quantitative', scale: { domain: [0, 1] }, title: 'alignment A' },
          color: {
            field: 'phase',
            type: 'nominal',
            scale: { domain: phases, range: phaseColours },
            title: 'training phase',
            legend: { orient: 'bottom' },
          },
          shape: {
            field: 'group',
            type: 'nominal',
            scale: { domain: groups.map((g) => g.group), range: ['circle', 'triangle-up'].slice(0, groups.length) },
            title: 'group: alignment',
            legend: shown.length > 1 ? { orient: 'bottom' } : null,
          },
        },
      },
      ...verticalRuleLayers(thRule, hs, W, { field: 'h', ...THRESHOLD_RULE }),
    ],
  });
}
