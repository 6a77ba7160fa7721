import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderStudyFigures } from './studyCharts';
import { renderStudyHtml, renderStudyMarkdown, studyReportJson, type StudyReportInput } from './studyReport';

/**
 * Writes the study report into `outDir`: report.md (claims table, the analysis tables, figure
 * links), report.json (schema-versioned, with the study's command, configs and versions),
 * report.html (self-contained: inline CSS and SVG, no script, opens offline) and figures/*.svg.
 * Returns the paths written, report.md, report.json and report.html first.
 */
export async function writeStudyReport(input: StudyReportInput, outDir: string): Promise<string[]> {
  const figures = await renderStudyFigures({
    runs: input.runs,
    analysis: input.analysis,
    roles: input.roles,
    ...(input.alignmentTag ? { alignmentTag: input.alignmentTag } : {}),
  });
  const figDir = path.join(outDir, 'figures');
  fs.mkdirSync(figDir, { recursive: true });
  const written: string[] = [];
  for (const f of figures) {
    const file = path.join(figDir, `${f.id}.svg`);
    if (f.svg === null) {
      fs.rmSync(file, { force: true }); // a figure from an earlier report of this folder would be stale
      continue;
    }
    fs.writeFileSync(file, f.svg);
    written.push(file);
  }
  const md = path.join(outDir, 'report.md');
  const json = path.join(outDir, 'report.json');
  const html = path.join(outDir, 'report.html');
  fs.writeFileSync(md, renderStudyMarkdown(input, figures));
  fs.writeFileSync(json, JSON.stringify(studyReportJson(input, figures), null, 2) + '\n');
  fs.writeFileSync(html, renderStudyHtml(input, figures));
  return [md, json, html, ...written];
}
