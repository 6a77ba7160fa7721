import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisDocument } from './analyzeRuns';
import { renderForecastChart, renderRunChart } from './charts';
import { crossingStep, runEvents } from './events';
import { renderMarkdown } from './renderMarkdown';
import type { RunData } from './runReader';

/** Writes report.md, report.json and charts/*.svg (one per run, one per scored forecast) into `outDir`; returns the paths written. */
export async function writeReport(doc: AnalysisDocument, runs: readonly RunData[], outDir: string): Promise<string[]> {
  fs.mkdirSync(path.join(outDir, 'charts'), { recursive: true });
  const written: string[] = [];
  const md: string[] = ['# grokscope report', '', renderMarkdown(doc), '## Charts', ''];
  for (const run of runs) {
    const c = doc.conditions.find((x) => x.condition === run.condition);
    const ev = runEvents(run.records, doc.thresholds);
    const h = c?.threshold.threshold ?? null;
    const tCross = h === null ? null : crossingStep(run.records, h, ev.tMem, doc.thresholds.entropyTag);
    const file = path.join(outDir, 'charts', `${safe(run.name)}.svg`);
    fs.writeFileSync(file, await renderRunChart(run, { tCross, tGrok: ev.tGrok, threshold: h }, doc.thresholds.entropyTag));
    written.push(file);
    md.push(`![${run.name}](charts/${path.basename(file)})`);
    const score = c?.forecast.leaveOneOut.find((s) => s.name === run.name);
    if (score && score.points.length) {
      const ff = path.join(outDir, 'charts', `${safe(run.name)}-forecast.svg`);
      fs.writeFileSync(ff, await renderForecastChart(run.name, score.points));
      written.push(ff);
      md.push(`![${run.name} forecast](charts/${path.basename(ff)})`);
    }
  }
  fs.writeFileSync(path.join(outDir, 'report.md'), md.join('\n') + '\n');
  fs.writeFileSync(path.join(outDir, 'report.json'), JSON.stringify(doc, null, 2) + '\n');
  return [path.join(outDir, 'report.md'), path.join(outDir, 'report.json'), ...written];
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._=,-]+/g, '_');
