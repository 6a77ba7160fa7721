import type { ClaimRow } from './claimModule';

const oneLine = (s: string) => s.replace(/\r?\n/g, ' ');
const cell = (s: string) => oneLine(s).replace(/\|/g, '\\|');

/** The claims table in Markdown: claim | paper | ours | verdict, then each row's rule and why as a numbered list. */
export function renderClaimsMarkdown(rows: readonly ClaimRow[]): string {
  const out = ['| claim | paper | ours | verdict |', '|---|---|---|---|'];
  for (const r of rows)
    out.push(`| ${cell(`${r.id}: ${r.claim}`)} | ${cell(r.paper)} | ${cell(r.ours)} | ${cell(r.verdict)} |`);
  out.push('');
  rows.forEach((r, i) =>
    out.push(`${i + 1}. **${r.id} — ${r.verdict}.** Rule: ${oneLine(r.rule)} Why: ${oneLine(r.why)}.`),
  );
  return out.join('\n') + '\n';
}
