import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisDocument } from './analyzeRuns';
import { renderForecastChart, renderRunChart } from './charts';
import { crossingStep, runEvents } from './events';
import { renderMarkdown } from './renderMarkdown';
import type { RunData } from './runReader';
import { outputNames } from './outputNames';

/**
 * Writes report.md, report.json and charts/*.svg (one per run of the document, finished or not,
 * and one per scored forecast) into `outDir`; returns the paths written. Chart files are named
 * after the document's unique run names, so two folders called `seed-0` get a chart each.
 */
export async function writeReport(doc: AnalysisDocument, runs: readonly RunData[], outDir: string): Promise<string[]> {
  fs.mkdirSync(path.join(outDir, 'charts'), { recursive: true });
  const written: string[] = [];
  const md: string[] = ['# grokscope report', '', renderMarkdown(doc), '## Charts', ''];
  const byDir = new Map(runs.map((r) => [r.dir, r]));
  const entries = [...doc.runs, ...doc.unfinished].flatMap((e, i) => {
    const run = byDir.get(e.dir);
    return run ? [{ label: e.name, dir: e.dir, condition: e.condition, run, finished: i < doc.runs.length }] : [];
  });
  const names = outputNames(entries);
  for (const [i, { label, condition, run, finished }] of entries.entries()) {
    const c = finished ? doc.conditions.find((x) => x.condition === condition) : undefined;
    const ev = runEvents(run.records, doc.thresholds);
    const h = c?.threshold.threshold ?? null;
    const tCross = h === null ? null : crossingStep(run.records, h, ev.tMem, doc.thresholds.entropyTag);
    const file = path.join(outDir, 'charts', `${names[i]}.svg`);
    fs.writeFileSync(
      file,
      await renderRunChart(
        { name: finished ? label : `${label} (unfinished)`, records: run.records },
        { tCross, tGrok: ev.tGrok, threshold: h },
        doc.thresholds.entropyTag,
      ),
    );
    written.push(file);
    md.push(`![${label}](charts/${path.basename(file)})`);
    const score = c?.forecast.leaveOneOut.find((s) => s.name === label);
    if (score && score.points.length) {
      const ff = path.join(outDir, 'charts', `${names[i]}-forecast.svg`);
      fs.writeFileSync(ff, await renderForecastChart(label, score.points));
      written.push(ff);
      md.push(`![${label} forecast](charts/${path.basename(ff)})`);
    }
  }
  fs.writeFileSync(path.join(outDir, 'report.md'), md.join('\n') + '\n');
  fs.writeFileSync(path.join(outDir, 'report.json'), JSON.stringify(doc, null, 2) + '\n');
  return [path.join(outDir, 'report.md'), path.join(outDir, 'report.json'), ...written];
}
