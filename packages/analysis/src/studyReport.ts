import type { AnalysisDocument } from './analyzeRuns';
import { renderMarkdown } from './renderMarkdown';
import type { RunData } from './runReader';
import type { ClaimRow, StudyRoles } from './claims/claimModule';
import { renderClaimsMarkdown } from './claims/renderClaimsMarkdown';
import type { ClaimId } from './verdictRules';
import type { RenderedStudyFigure } from './studyCharts';

/** The schema of report.json; bumped on any change that breaks a reader. */
export const STUDY_REPORT_SCHEMA_VERSION = 1;

/** What is needed to re-run the study the report describes. */
export interface StudyInfo {
  readonly name: string;
  /** quick, paper, … */
  readonly scale: string;
  /** The exact command line that produced the runs and the report. */
  readonly command: string;
  /** The study definition (conditions, seeds, configs) as loaded. */
  readonly configs: unknown;
  /** Package versions (name → version). */
  readonly versions: Readonly<Record<string, string>>;
  /** Wall time of the invocation that wrote the report, in milliseconds (a resumed study trains only what was left). */
  readonly wallMs: number;
  /** Training wall time summed over the study's runs (every invocation), in milliseconds; omitted: not known. */
  readonly trainingMs?: number;
}

export interface StudyReportInput {
  readonly claims: readonly ClaimRow[];
  /** analyzeRuns over `runs`. */
  readonly analysis: AnalysisDocument;
  readonly runs: readonly RunData[];
  /** Which condition plays which part (baseline, intervention, MLP, …). */
  readonly roles: StudyRoles;
  readonly study: StudyInfo;
  /** Metric tag of the Fourier alignment (default `fourier/alignment`). */
  readonly alignmentTag?: string;
}

export interface StudyReportFigure {
  readonly id: string;
  readonly claims: readonly ClaimId[];
  readonly name: string;
  /** Relative to the report folder; null when omitted. */
  readonly file: string | null;
  readonly omitted: string | null;
}

/** report.json. */
export interface StudyReportJson {
  readonly schemaVersion: typeof STUDY_REPORT_SCHEMA_VERSION;
  readonly study: StudyInfo;
  readonly roles: StudyRoles;
  readonly claims: readonly ClaimRow[];
  readonly figures: readonly StudyReportFigure[];
  readonly analysis: AnalysisDocument;
}

/** The content of report.json. */
export function studyReportJson(input: StudyReportInput, figures: readonly RenderedStudyFigure[]): StudyReportJson {
  return {
    schemaVersion: STUDY_REPORT_SCHEMA_VERSION,
    study: input.study,
    roles: input.roles,
    claims: input.claims,
    figures: figures.map((f) => ({
      id: f.id,
      claims: f.claims,
      name: f.name,
      file: f.svg === null ? null : `figures/${f.id}.svg`,
      omitted: f.omitted,
    })),
    analysis: input.analysis,
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown

const mdCode = (s: string) => {
  const ticks = Math.max(0, ...(s.match(/`+/g) ?? []).map((t) => t.length)) + 1;
  const fence = '`'.repeat(ticks);
  return `${fence}${ticks > 1 ? ' ' : ''}${s}${ticks > 1 ? ' ' : ''}${fence}`;
};

/** Wall time as a reader says it: 12.3 s, 12 min 34 s, 1 h 02 min. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** report.md: the claims table first, then the analysis tables, then the figures. */
export function renderStudyMarkdown(input: StudyReportInput, figures: readonly RenderedStudyFigure[]): string {
  const s = input.study;
  const out: string[] = [
    `# grokscope study: ${s.name} (${s.scale})`,
    '',
    `Command: ${mdCode(s.command)}`,
    '',
    `Wall time: ${formatDuration(s.wallMs)} for this invocation${s.trainingMs === undefined ? '' : `; ${formatDuration(s.trainingMs)} of training summed over the runs`}. Versions: ${
      Object.entries(s.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '–'
    }. The study definition is in report.json.`,
    '',
    '## Claims',
    '',
    renderClaimsMarkdown(input.claims),
    '## Analysis',
    '',
    // The analysis has its own level-2 headings: one level down, under "Analysis".
    renderMarkdown(input.analysis).replace(/^(#+) /gm, '#$1 '),
    '## Figures',
    '',
  ];
  for (const f of figures) {
    const claims = f.claims.join(', ');
    out.push(
      f.svg === null
        ? `- ${claims} · ${f.name}: omitted — ${f.omitted}`
        : `- ${claims} · ${f.name}\n\n  ![${f.name}](figures/${f.id}.svg)`,
    );
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// HTML

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Each inline SVG gets its own id namespace (vega names clip paths and gradients; two charts on one page must not share them). */
function namespaceSvg(svg: string, prefix: string): string {
  return svg
    .replace(/\sid="([^"]+)"/g, (_, id: string) => ` id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${prefix}-${id}"`);
}

/** The subset of Markdown that renderMarkdown writes (headings, paragraphs, pipe tables, `code`) as HTML, escaped. */
function markdownToHtml(md: string): string {
  const inline = (s: string) => escapeHtml(s).replace(/`([^`]+)`/g, '<code>$1</code>');
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replace(/\\\|/g, '|'));
  const out: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const h = /^(#{1,6}) (.*)$/.exec(line);
    if (h) {
      const level = Math.min(6, h[1]!.length + 1);
      out.push(`<h${level}>${inline(h[2]!)}</h${level}>`);
    } else if (line.startsWith('|') && /^\|[\s|:-]+\|$/.test(lines[i + 1] ?? '')) {
      const head = cells(line);
      const body: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.startsWith('|')) body.push(cells(lines[i++]!));
      i--;
      out.push(
        `<div class="scroll"><table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`,
      );
    } else {
      out.push(`<p>${inline(line)}</p>`);
    }
  }
  return out.join('\n');
}

const CSS = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1100px; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 20px; margin: 36px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 8px; }
code, pre { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #f6f6f6; padding: 10px 12px; overflow: auto; max-height: 360px; }
.meta { color: #444; margin: 4px 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13.5px; }
th, td { border: 1px solid #d6d6d6; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
table.claims td.id { font-weight: 600; white-space: nowrap; }
table.claims { width: 100%; min-width: 900px; table-layout: fixed; }
table.claims td { overflow-wrap: anywhere; }
table.claims td.ours { font-size: 13px; }
table.claims td.rule { font-size: 12.5px; color: #333; }
table.claims td.rule p { margin: 0 0 4px; }
table.claims summary { cursor: pointer; color: #555; }
.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12.5px; border: 1px solid transparent; }
.verdict-reproduced { background: #e3f4e4; color: #1d6b26; border-color: #9fd3a5; }
.verdict-not-reproduced { background: #fff1dc; color: #8a5300; border-color: #f0c27a; }
.verdict-contradicted { background: #fde3e1; color: #a4231b; border-color: #eea39c; }
.verdict-inconclusive { background: #ececec; color: #444; border-color: #c7c7c7; }
section.claim dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 12px; }
section.claim dt { font-weight: 600; color: #444; }
section.claim dd { margin: 0; }
figure { margin: 14px 0 22px; }
figure svg { display: block; width: auto; max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #555; margin-top: 4px; }
.omitted { color: #6b4b00; background: #fff8e6; border-left: 3px solid #f0c27a; padding: 6px 10px; font-size: 13.5px; }
`;

/** report.html: self-contained (inline CSS and SVG, no script, no external resource). */
export function renderStudyHtml(input: StudyReportInput, figures: readonly RenderedStudyFigure[]): string {
  const s = input.study;
  const e = escapeHtml;
  const verdict = (v: string) =>
    `<span class="verdict verdict-${e(v.replace(/\s+/g, '-'))}" data-verdict="${e(v)}">${e(v)}</span>`;
  const claimRows = input.claims.map(
    (c) =>
      `<tr data-claim="${e(c.id)}"><td class="id"><a href="#claim-${e(c.id)}">${e(c.id)}</a></td><td class="claim">${e(c.claim)}</td><td class="paper">${e(c.paper)}</td><td class="ours">${e(c.ours)}</td><td class="verdict-cell">${verdict(c.verdict)}</td><td class="rule"><p class="why"><b>why:</b> ${e(c.why)}</p><details><summary>rule</summary><p>${e(c.rule)}</p></details></td></tr>`,
  );
  let shown = 0; // a figure shown under two claims is two inline SVGs: each needs its own ids
  const figureHtml = (f: RenderedStudyFigure) =>
    f.svg === null
      ? `<p class="omitted" data-omitted="${e(f.id)}">Figure omitted (${e(f.name)}): ${e(f.omitted ?? '')}.</p>`
      : `<figure data-figure="${e(f.id)}">${namespaceSvg(f.svg, `fig${++shown}-${f.id}`)}<figcaption>${e(f.claims.join(', '))} · ${e(f.name)} (also <a href="figures/${e(f.id)}.svg">figures/${e(f.id)}.svg</a>)</figcaption></figure>`;
  const stats = (c: ClaimRow) => {
    const entries = Object.entries(c.statistics);
    return entries.length
      ? entries
          .map(
            ([k, v]) =>
              `${e(k)} = ${v === null ? '–' : e(Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toPrecision(4))}`,
          )
          .join(', ')
      : '–';
  };
  const sections = input.claims.map((c) => {
    const figs = figures.filter((f) => f.claims.includes(c.id));
    return [
      `<section class="claim" id="claim-${e(c.id)}">`,
      `<h2>${e(c.id)} · ${e(c.claim)}</h2>`,
      `<dl><dt>verdict</dt><dd>${verdict(c.verdict)}</dd><dt>paper</dt><dd>${e(c.paper)}</dd><dt>ours</dt><dd>${e(c.ours)}</dd><dt>statistics</dt><dd><details><summary>n = ${c.n}, censored ${c.censored}; ${Object.keys(c.statistics).length} numbers</summary>${stats(c)}</details></dd><dt>rule</dt><dd>${e(c.rule)}</dd><dt>why</dt><dd>${e(c.why)}</dd></dl>`,
      ...(figs.length ? figs.map(figureHtml) : ['<p class="omitted">No figure for this claim.</p>']),
      '</section>',
    ].join('\n');
  });
  const covered = new Set(input.claims.map((c) => c.id as string));
  const orphans = figures.filter((f) => !f.claims.some((id) => covered.has(id)));
  const versions = Object.entries(s.versions);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`grokscope study: ${s.name} (${s.scale})`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${e(`grokscope study: ${s.name}`)}</h1>
<p class="meta">Scale <b>${e(s.scale)}</b> · wall time ${e(formatDuration(s.wallMs))}${s.trainingMs === undefined ? '' : ` (training summed over runs: ${e(formatDuration(s.trainingMs))})`} · ${input.analysis.runs.length} finished runs${input.analysis.unfinished.length ? `, ${input.analysis.unfinished.length} unfinished (not counted)` : ''}</p>
<p class="meta">Command: <code id="command">${e(s.command)}</code></p>
</header>
<section id="claims">
<h2>Claims</h2>
<div class="scroll"><table class="claims"><colgroup><col style="width:5%"><col style="width:17%"><col style="width:15%"><col style="width:33%"><col style="width:13%"><col style="width:17%"></colgroup><thead><tr><th>claim</th><th>statement</th><th>paper</th><th>ours</th><th>verdict</th><th>rule and why</th></tr></thead>
<tbody>
${claimRows.join('\n')}
</tbody></table></div>
</section>
${sections.join('\n')}
${orphans.length ? `<section id="other-figures"><h2>Other figures</h2>\n${orphans.map(figureHtml).join('\n')}\n</section>` : ''}
<section id="analysis">
<h2>Analysis</h2>
${markdownToHtml(renderMarkdown(input.analysis))}
</section>
<section id="study">
<h2>Study</h2>
${versions.length ? `<table><thead><tr><th>package</th><th>version</th></tr></thead><tbody>${versions.map(([k, v]) => `<tr><td>${e(k)}</td><td>${e(v)}</td></tr>`).join('')}</tbody></table>` : '<p>No versions recorded.</p>'}
<details><summary>Study definition (also in report.json)</summary><pre>${e(JSON.stringify(s.configs, null, 2) ?? 'null')}</pre></details>
</section>
</body>
</html>
`;
}
