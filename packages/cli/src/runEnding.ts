/**
 * The end of `grokscope train`: the run's story in numbers, its picture on disk (run.svg) and,
 * on a terminal, a compact chart. Loaded only when a run has ended (it pulls in the analysis
 * package and its chart libraries, which train does not pay for at start-up).
 */
import * as path from 'node:path';
import { renderRunChart, runStory, type RunStory } from '@grokscope/analysis';
import { METRIC_TAGS, type MetricsRecord, type RunStatus } from '@grokscope/core';
import { writeFileAtomic } from '@grokscope/core/internal';
import { plot, type Threshold } from 'simple-ascii-chart';
import type { RunConfig } from './configSchema';
import { wantsColour } from './wantsColour';

/** The picture every ended run leaves in its directory. */
export const RUN_SVG = 'run.svg';

type Thresholds = RunConfig['thresholds'];
type Records = readonly MetricsRecord[];

/** The run's events and H̃ values (analysis runStory), against the configured H̃* or the paper's. */
export function storyOf(records: readonly MetricsRecord[], thresholds: Thresholds): RunStory {
  return runStory(records, {
    memorised: thresholds.memorised,
    grokked: thresholds.grokked,
    threshold: thresholds.entropy,
  });
}

/** The numbers the JSON `done` event adds (null where an event was not reached). */
export function storyFields(s: RunStory) {
  return {
    tMem: s.tMem,
    hAtMem: s.hAtMem,
    hMin: s.hMin,
    hMinStep: s.hMinStep,
    threshold: s.threshold,
    thresholdSource: s.thresholdSource === 'given' ? ('config' as const) : ('paper' as const),
    tCross: s.tCross,
    tGrok: s.tGrok,
    lead: s.lead,
  };
}

const f3 = (x: number) => x.toFixed(3);
/** A threshold as the user wrote it (0.61, not 0.610). */
const th = (x: number) => String(Number(x.toFixed(4)));
/** Width on screen: combining marks (the tilde of H̃) take no column. */
const padVisible = (text: string, width: number) =>
  text + ' '.repeat(Math.max(0, width - text.replace(/[\u0300-\u036f]/g, '').length));

/** "the paper's H̃*" or "thresholds.entropy in the config". */
function thresholdSource(s: RunStory): string {
  return s.thresholdSource === 'given'
    ? 'thresholds.entropy in the config'
    : `the paper's H̃*; set thresholds.entropy to use your own`;
}

/**
 * One line per event, in words a newcomer can read; honest about what did not happen. A run
 * that ended `interrupted` or `failed` did not reach its cap: one that has not grokked yet is
 * unfinished, not censored (docs/science.md § Censored and unfinished runs), and may still grok.
 */
export function storyLines(s: RunStory, t: Thresholds, steps: number, status: RunStatus = 'completed'): string[] {
  const unfinished = status === 'interrupted' || status === 'failed';
  const notYet = unfinished ? `unfinished (${status}): resume it to see whether it groks` : 'censored';
  const by = `by step ${s.lastStep ?? steps}`;
  const h = th(s.threshold);
  const lines: [string, string][] = [];
  lines.push([
    'memorised',
    s.tMem !== null
      ? `step ${s.tMem} (train accuracy ≥ ${t.memorised})${s.hAtMem !== null ? `, H̃ ${f3(s.hAtMem)} there` : ''}`
      : `not ${by} (train accuracy reached ${s.peakTrain !== null ? f3(s.peakTrain) : '–'}; needs ≥ ${t.memorised})`,
  ]);
  lines.push([
    'lowest H̃',
    s.hMin !== null && s.hMinStep !== null
      ? `${f3(s.hMin)} at step ${s.hMinStep}`
      : `not measured (no ${METRIC_TAGS.entropyHn} in metrics.jsonl: add the spectral-entropy probe)`,
  ]);
  lines.push([
    'H̃ crossed',
    s.tMem === null
      ? `${h} (${thresholdSource(s)}): not counted, t_cross is measured after memorisation`
      : s.tCross !== null
        ? `${h} at step ${s.tCross} (${thresholdSource(s)})`
        : `not below ${h} after memorisation ${by} (${thresholdSource(s)})`,
  ]);
  const peakTest = s.peakTest !== null ? f3(s.peakTest) : '–';
  const notGrokked = `not ${by} (test accuracy reached ${peakTest}; needs ≥ ${t.grokked}): ${notYet}`;
  lines.push(['grokked', s.tGrok !== null ? `step ${s.tGrok} (test accuracy ≥ ${t.grokked})` : notGrokked]);
  lines.push([
    'lead',
    s.lead === null
      ? `– (t_grok − t_cross needs both events)`
      : s.lead > 0
        ? `${s.lead} steps: H̃ fell through ${h} ${s.lead} steps before test accuracy jumped`
        : s.lead === 0
          ? `0 steps: H̃ crossed ${h} at the evaluation where the run grokked`
          : `${s.lead} steps: H̃ crossed ${h} only after the run grokked`,
  ]);
  return lines.map(([k, v]) => `  ${padVisible(k, 11)} ${v}`);
}

/**
 * H̃ and test accuracy against step (simple-ascii-chart), t_cross and t_grok as vertical
 * lines and H̃* as a horizontal one, each named with its value in the legend under the chart.
 * Coloured only where `colour` (default: stdout is a terminal and NO_COLOR is unset, wantsColour);
 * simple-ascii-chart writes an escape code wherever it is given a colour, so without colour it is given none.
 */
export function terminalChart(records: Records, s: RunStory, columns?: number, colour = wantsColour()): string {
  const paint = (color: NonNullable<Threshold['color']>) => (colour ? { color } : {});
  const series = (tag: string) =>
    records.filter((r) => typeof r.metrics[tag] === 'number').map((r) => [r.step, r.metrics[tag]!] as [number, number]);
  const h = series(METRIC_TAGS.entropyHn);
  const test = series(METRIC_TAGS.accuracyTest);
  const lines = [h, test].filter((l) => l.length > 0);
  if (lines.length === 0) return '';
  const names = [...(h.length ? ['H̃'] : []), ...(test.length ? ['test accuracy'] : [])];
  const thresholds: Threshold[] = [];
  const marks: string[] = [];
  if (s.tCross !== null) {
    thresholds.push({ x: s.tCross, ...paint('ansiRed') });
    marks.push(`t_cross = ${s.tCross} (H̃ ≤ ${th(s.threshold)})`);
  }
  if (s.tGrok !== null) {
    thresholds.push({ x: s.tGrok, ...paint('ansiGreen') });
    marks.push(`t_grok = ${s.tGrok}`);
  }
  if (h.length) {
    thresholds.push({ y: s.threshold, ...paint('ansiMagenta') });
    marks.push(`H̃* = ${th(s.threshold)}`);
  }
  const first = records[0]?.step ?? 0;
  const last = records[records.length - 1]?.step ?? first;
  const ticks = last > first ? [0, 1, 2, 3, 4].map((i) => Math.round(first + ((last - first) * i) / 4)) : [first];
  return plot(lines, {
    width: Math.max(30, Math.min(72, (columns || 80) - 12)),
    height: 11,
    yRange: [0, 1],
    customYAxisTicks: [0, 0.2, 0.4, 0.6, 0.8, 1],
    customXAxisTicks: ticks,
    formatter: (v, { axis }) => (axis === 'y' ? v.toFixed(2) : Math.round(v)),
    xLabel: 'step',
    ...(colour ? { color: ['ansiCyan' as const, 'ansiYellow' as const] } : {}),
    // A line sample in the legend (the default is a block, the progress bar's character).
    symbols: { chart: { area: '━' } },
    thresholds,
    legend: { position: 'bottom', series: names, thresholds: marks },
  });
}

/** "memorised at 150 · H̃ ≤ 0.61 at 1350 · grokked at 1600 · lead 250 steps": the picture's subtitle. */
function subtitle(s: RunStory): string {
  const parts = [
    s.tMem !== null ? `memorised at ${s.tMem}` : 'not memorised',
    s.tCross !== null ? `H̃ ≤ ${s.threshold} at ${s.tCross}` : `H̃ not below ${s.threshold} after memorising`,
    s.tGrok !== null ? `grokked at ${s.tGrok}` : `not grokked by ${s.lastStep ?? '–'}`,
    ...(s.lead !== null ? [`lead ${s.lead} steps`] : []),
  ];
  return parts.join(' · ');
}

/**
 * Writes DIR/run.svg (the report's run chart, with train accuracy and t_mem added) and returns
 * its path. Never throws: a picture that cannot be drawn or written is a warning on stderr,
 * not a failed run.
 */
export async function writeRunSvg(
  dir: string,
  title: string,
  records: readonly MetricsRecord[],
  s: RunStory,
): Promise<string | null> {
  const file = path.join(dir, RUN_SVG);
  try {
    const svg = await renderRunChart(
      { name: title, records },
      { tMem: s.tMem, tCross: s.tCross, tGrok: s.tGrok, threshold: s.threshold },
      {
        trainAccuracy: true,
        labelSteps: true,
        subtitle: subtitle(s),
        thresholdLabel: `H̃* = ${s.threshold}${s.thresholdSource === 'paper' ? " (the paper's)" : ' (config)'}`,
      },
    );
    writeFileAtomic(file, svg);
    return file;
  } catch (err) {
    process.stderr.write(`warning: ${RUN_SVG} not written: ${err instanceof Error ? err.message : String(err)}\n`);
    return null;
  }
}
