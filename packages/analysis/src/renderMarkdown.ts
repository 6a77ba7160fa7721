import type { AnalysisDocument } from './analyzeRuns';
import { PLATEAU_MAX_SHARE } from './plateau';

const f = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(digits);
// Fixed 4 digits would print p = 5e-5 as 0.0001 (or 0.0000): small p keeps its magnitude.
const pv = (p: number | null | undefined) =>
  p === null || p === undefined || !Number.isFinite(p) ? '–' : p < 1e-3 ? p.toExponential(1) : p.toFixed(4);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '–' : `${(100 * x).toFixed(0)}%`);
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );

/** Markdown tables of an analysis document: per condition, forecast, comparisons with the baseline, and per run. */
export function renderMarkdown(doc: AnalysisDocument): string {
  const out: string[] = [];
  out.push(
    `Thresholds: train accuracy ≥ ${doc.thresholds.memorised} (t_mem), test accuracy ≥ ${doc.thresholds.grokked} (t_grok); entropy tag \`${doc.thresholds.entropyTag}\`.`,
  );
  out.push(`Censoring: ${doc.censoringRule}`);
  out.push(`Unfinished: ${doc.unfinishedRule}`);
  if (doc.duplicates.length)
    out.push(`\nCounted once (duplicates left out): ${doc.duplicates.map((d) => d.message).join('; ')}.`);
  out.push('\n## Conditions\n');
  out.push(
    table(
      [
        'condition',
        'n',
        'censored',
        'mean t_grok',
        'H̃*',
        'unfinished (not in n)',
        'm_r mean ± sd (cv)',
        'crossed before t_grok (in-sample / LOO)',
        'mean lead (in / LOO)',
        'norm peak before collapse',
      ],
      doc.conditions.map((c) => [
        c.condition,
        String(c.n),
        String(c.censored),
        f(c.tGrok?.mean, 0),
        f(c.threshold.threshold),
        String(c.unfinished),
        c.threshold.minima
          ? `${f(c.threshold.minima.mean)} ± ${f(c.threshold.minima.sd)} (${f(c.threshold.minima.cv, 2)})`
          : '–',
        `${pct(c.threshold.crossingShare.inSample)} / ${pct(c.threshold.crossingShare.leaveOneOut)}`,
        `${f(c.threshold.lead.inSample?.mean, 0)} / ${f(c.threshold.lead.leaveOneOut?.mean, 0)}`,
        pct(c.twoPhaseShare),
      ]),
    ),
  );
  out.push('\n## Forecast (ΔT = C1·(H̃ − H̃*)^γ + C2)\n');
  out.push(
    table(
      ['condition', 'observations', 'C1', 'γ', 'C2', 'R²', 'LOO mean error', 'LOO mean lead'],
      doc.conditions.map((c) => [
        c.condition,
        String(c.forecast.observations),
        f(c.forecast.fit?.C1, 1),
        f(c.forecast.fit?.gamma),
        f(c.forecast.fit?.C2, 1),
        f(c.forecast.fit?.r2),
        c.forecast.mape === null ? '–' : `${(100 * c.forecast.mape).toFixed(1)}%`,
        f(c.forecast.meanLead, 0),
      ]),
    ),
  );
  if (doc.comparisons.length) {
    out.push('\n## t_grok against the baseline (grokked runs only; censored runs left out)\n');
    out.push(
      table(
        [
          'condition',
          'grokked n (cond / base)',
          'censored (cond / base)',
          'Welch t',
          'df',
          'p (Welch)',
          'U',
          'p (Mann–Whitney)',
          "Cohen's d",
          'CI of mean difference',
        ],
        doc.comparisons.map((c) => [
          c.condition,
          `${c.nCondition} / ${c.nBaseline}`,
          `${c.censoredCondition} / ${c.censoredBaseline}`,
          f(c.welch?.t),
          f(c.welch?.df, 1),
          pv(c.welch?.p),
          f(c.mannWhitney?.U, 1),
          pv(c.mannWhitney?.p),
          f(c.cohensD),
          c.meanDiffCI ? `${pct(c.meanDiffCI.level)}: [${f(c.meanDiffCI.low, 0)}, ${f(c.meanDiffCI.high, 0)}]` : '–',
        ]),
      ),
    );
    for (const c of doc.comparisons) if (c.note) out.push(`\n${c.condition}: ${c.note}.`);
  }
  if (doc.unfinished.length) {
    out.push('\n## Unfinished runs (not counted in n or any statistic)\n');
    out.push(
      table(
        ['run', 'condition', 'status', 'step reached', 'reason'],
        doc.unfinished.map((r) => [
          r.name,
          r.condition,
          r.status,
          f(r.stepReached),
          r.reason === null ? '–' : r.reason.replace(/[|\n]/g, ' '),
        ]),
      ),
    );
  }
  out.push('\n## Runs\n');
  out.push(
    table(
      [
        'run',
        'condition',
        't_mem',
        't_grok',
        't_cross (H̃*)',
        'lead',
        'norm peak',
        'collapse onset',
        `plateau (test gain by mid-way < ${pct(PLATEAU_MAX_SHARE)})`,
      ],
      doc.runs.map((r) => {
        const crossing = doc.conditions
          .find((c) => c.condition === r.condition)
          ?.threshold.inSample.find((x) => x.name === r.name);
        const plateau = r.plateau === null ? '–' : `${r.plateau.plateaued ? 'yes' : 'no'} (${pct(r.plateau.share)})`;
        return [
          r.name,
          r.condition,
          f(r.tMem),
          r.censored ? 'censored' : f(r.tGrok),
          f(crossing?.tCross),
          f(crossing?.lead),
          f(r.phases.normPeak),
          f(r.phases.collapseOnset),
          plateau,
        ];
      }),
    ),
  );
  return out.join('\n') + '\n';
}
