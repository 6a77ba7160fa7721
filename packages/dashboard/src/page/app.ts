// The dashboard page (bundled by scripts/bundlePage.js with vega, vega-lite and vega-embed into
// dist/page/app.js, served by the dashboard itself: no CDN). It draws only the Vega-Lite specs the
// server builds with @grokscope/analysis — no chart is drawn by hand here (docs/dashboard.md).
import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';

interface RunRow {
  id: string;
  name: string;
  path: string;
  study: string;
  status: string;
  condition: string;
  seed: number | null;
  step: number | null;
  records: number;
  tMem: number | null;
  tGrok: number | null;
  lastH: number | null;
  problems: string[];
}
interface StudyClaims {
  study: string;
  rootIndex: number;
  claims: { id: string; claim: string; ours: string; verdict: string; n: number }[];
}
interface RunDetail {
  row: RunRow;
  tCross: number | null;
  threshold: number;
  thresholdFrom: string;
  law: { threshold: number | null; fit: { C1: number; gamma: number; C2: number; r2: number } | null; from: string };
  forecast: { step: number; predicted: number | null } | null;
  specs: { run: object; alignment: object | null; forecast: object | null };
}
interface Update {
  list: boolean;
  runs: { id: string; steps: number[]; added: number }[];
}

const main = document.getElementById('main')!;
const live = document.getElementById('live')!;
const views: Result[] = [];
let conditionFilter = '';
const selected = new Set<string>();

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Run ids hold commas and `=` (seed=0,condition=baseline): one encoded `id=` per run. */
const idQuery = (ids: readonly string[]) => ids.map((id) => `id=${encodeURIComponent(id)}`).join('&');
const num = (x: number | null, digits?: number) =>
  x === null ? '—' : digits === undefined ? String(x) : x.toFixed(digits);

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${url}: HTTP ${res.status}`);
  return body;
}

type Route =
  | { view: 'overview' }
  | { view: 'run'; id: string }
  | { view: 'compare'; ids: string[]; align: 'start' | 't_grok' };

function route(): Route {
  const h = location.hash.replace(/^#/, '');
  if (h.startsWith('/run/')) return { view: 'run', id: decodeURIComponent(h.slice('/run/'.length)) };
  if (h.startsWith('/compare')) {
    const q = new URLSearchParams(h.split('?')[1] ?? '');
    return {
      view: 'compare',
      ids: q.getAll('id').filter(Boolean),
      align: q.get('align') === 't_grok' ? 't_grok' : 'start',
    };
  }
  return { view: 'overview' };
}

/** Draws `specs` into fresh containers, then swaps them in at once, so an update never flickers. */
async function drawCharts(host: HTMLElement, specs: (object | null)[]): Promise<void> {
  const fresh: HTMLElement[] = [];
  const made: Result[] = [];
  for (const spec of specs) {
    if (!spec) continue;
    const el = document.createElement('div');
    el.className = 'chart';
    made.push(
      await embed(el, spec as never, { renderer: 'svg', actions: false, ast: true, expr: expressionInterpreter }),
    );
    fresh.push(el);
  }
  host.replaceChildren(...fresh);
  for (const v of views.splice(0)) v.finalize();
  views.push(...made);
}

async function renderOverview(): Promise<void> {
  const { runs, studies } = await getJson<{ runs: RunRow[]; studies: StudyClaims[] }>('/api/runs');
  const conditions = [...new Set(runs.map((r) => r.condition))].sort();
  if (conditionFilter && !conditions.includes(conditionFilter)) conditionFilter = '';
  const shown = runs
    .filter((r) => !conditionFilter || r.condition === conditionFilter)
    .sort((a, b) => a.path.localeCompare(b.path));
  const rows = shown
    .map(
      (r) => `<tr data-run="${esc(r.id)}" data-status="${esc(r.status)}">
  <td><input type="checkbox" class="pick" value="${esc(r.id)}" ${selected.has(r.id) ? 'checked' : ''} aria-label="compare ${esc(r.path)}"></td>
  <td><a href="#/run/${encodeURIComponent(r.id)}">${esc(r.path)}</a></td>
  <td><span class="status status-${esc(r.status)}">${esc(r.status)}</span></td>
  <td>${esc(r.condition)}</td>
  <td class="num">${num(r.seed)}</td>
  <td class="num step">${num(r.step)}</td>
  <td class="num">${num(r.tMem)}</td>
  <td class="num">${num(r.tGrok)}</td>
  <td class="num">${num(r.lastH, 4)}</td>
  <td class="wrap muted">${esc(r.problems[0] ?? '')}</td>
</tr>`,
    )
    .join('');
  const claims = studies
    .map(
      (s) => `<h2>Claims of study ${esc(s.study)}</h2>
<table class="claims"><thead><tr><th>claim</th><th>the paper</th><th>ours</th><th>n</th><th>verdict</th></tr></thead><tbody>
${s.claims.map((c) => `<tr data-claim="${esc(c.id)}"><td>${esc(c.id)}</td><td class="wrap">${esc(c.claim)}</td><td class="wrap">${esc(c.ours)}</td><td class="num">${c.n}</td><td class="verdict">${esc(c.verdict)}</td></tr>`).join('')}
</tbody></table>`,
    )
    .join('');
  main.innerHTML = `<h1>Runs <span class="muted">(${shown.length}${conditionFilter ? ` of ${runs.length}` : ''})</span></h1>
<div class="toolbar">
  <label>condition <select id="condition"><option value="">all</option>${conditions.map((c) => `<option ${c === conditionFilter ? 'selected' : ''}>${esc(c)}</option>`).join('')}</select></label>
  <button id="compare">compare selected</button>
  <label><input type="radio" name="align" value="start" checked> align at step 0</label>
  <label><input type="radio" name="align" value="t_grok"> align at t_grok</label>
</div>
<table class="runs"><thead><tr><th></th><th>run</th><th>status</th><th>condition</th><th>seed</th><th>step</th><th>t_mem</th><th>t_grok</th><th>last H̃</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="10" class="muted">No run found yet; runs appear here as soon as they start.</td></tr>'}</tbody></table>
${claims}`;
  document.getElementById('condition')!.addEventListener('change', (e) => {
    conditionFilter = (e.target as HTMLSelectElement).value;
    void refresh();
  });
  for (const box of main.querySelectorAll<HTMLInputElement>('input.pick'))
    box.addEventListener('change', () => (box.checked ? selected.add(box.value) : selected.delete(box.value)));
  document.getElementById('compare')!.addEventListener('click', () => {
    const align = main.querySelector<HTMLInputElement>('input[name=align]:checked')?.value ?? 'start';
    if (selected.size) location.hash = `#/compare?${idQuery([...selected])}&align=${align}`;
  });
}

async function renderRun(id: string): Promise<void> {
  const d = await getJson<RunDetail>(`/api/run?id=${encodeURIComponent(id)}`);
  const r = d.row;
  let charts = document.getElementById('charts');
  if (!charts || main.dataset['run'] !== id) {
    main.dataset['run'] = id;
    main.innerHTML = `<h1 id="title"></h1><dl class="facts" id="facts"></dl><div id="charts"></div>`;
    charts = document.getElementById('charts')!;
  }
  document.getElementById('title')!.innerHTML =
    `${esc(r.path)} <span class="status status-${esc(r.status)}">${esc(r.status)}</span>`;
  const f = d.forecast;
  const forecastText = !d.law.fit
    ? esc(d.law.from)
    : f === null
      ? 'no H̃ recorded yet'
      : f.predicted === null
        ? `H̃ is at or below H̃* (step ${f.step}): past the threshold, no forecast`
        : `t_grok ≈ ${Math.round(f.predicted)} (made at step ${f.step}; ${esc(d.law.from)})`;
  document.getElementById('facts')!.innerHTML = `
<dt>condition</dt><dd>${esc(r.condition)}${r.seed !== null ? `, seed ${r.seed}` : ''}</dd>
<dt>step</dt><dd class="step">${num(r.step)} (${r.records} evaluations)</dd>
<dt>t_mem · t_cross · t_grok</dt><dd>${num(r.tMem)} · ${num(d.tCross)} · ${num(r.tGrok)}</dd>
<dt>H̃*</dt><dd>${d.threshold.toFixed(4)} — ${esc(d.thresholdFrom)}</dd>
<dt>forecast</dt><dd id="forecast">${forecastText}</dd>
${r.problems.length ? `<dt>problems</dt><dd class="error">${r.problems.map(esc).join('<br>')}</dd>` : ''}`;
  await drawCharts(charts, [d.specs.run, d.specs.forecast, d.specs.alignment]);
}

async function renderCompare(ids: string[], align: 'start' | 't_grok'): Promise<void> {
  const { spec, runs } = await getJson<{ spec: object; runs: RunRow[] }>(`/api/compare?${idQuery(ids)}&align=${align}`);
  let charts = document.getElementById('charts');
  if (!charts || main.dataset['compare'] !== `${ids.join(',')}|${align}`) {
    main.dataset['compare'] = `${ids.join(',')}|${align}`;
    const other = align === 'start' ? 't_grok' : 'start';
    main.innerHTML = `<h1>Compare ${runs.length} runs</h1>
<div class="toolbar"><a href="#/compare?${esc(idQuery(ids))}&align=${other}">align at ${other === 't_grok' ? 't_grok' : 'step 0'} instead</a></div>
<div id="charts"></div>`;
    charts = document.getElementById('charts')!;
  }
  await drawCharts(charts, [spec]);
}

let busy = false;
let again = false;
/** Redraws the current view; updates that arrive while drawing cause one more redraw, not a queue. */
async function refresh(): Promise<void> {
  if (busy) return void (again = true);
  busy = true;
  try {
    const r = route();
    if (r.view !== 'run') delete main.dataset['run'];
    if (r.view !== 'compare') delete main.dataset['compare'];
    if (r.view === 'overview') await renderOverview();
    else if (r.view === 'run') await renderRun(r.id);
    else await renderCompare(r.ids, r.align);
  } catch (err) {
    main.innerHTML = `<p class="error">${esc((err as Error).message)}</p><p><a href="#/">back to the runs</a></p>`;
    delete main.dataset['run'];
    delete main.dataset['compare'];
  } finally {
    busy = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

function concerns(u: Update): boolean {
  const r = route();
  if (r.view === 'overview') return u.list || u.runs.length > 0;
  if (r.view === 'run') return u.runs.some((x) => x.id === r.id);
  return u.runs.some((x) => r.ids.includes(x.id));
}

function connect(): void {
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => {
    live.textContent = 'live';
    live.className = 'live on';
  });
  source.addEventListener('error', () => {
    // EventSource reconnects on its own (the server asks for 1 s).
    live.textContent = 'reconnecting…';
    live.className = 'live off';
  });
  source.addEventListener('update', (e) => {
    if (concerns(JSON.parse((e as MessageEvent<string>).data) as Update)) void refresh();
  });
}

window.addEventListener('hashchange', () => void refresh());
connect();
void refresh();
