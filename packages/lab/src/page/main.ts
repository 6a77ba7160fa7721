// The lab's page: controls, the live charts and the runs of this page. Training happens in a Web
// Worker (worker.ts) running core's Trainer; the charts are @grokscope/analysis's Vega-Lite specs,
// the ones the dashboard draws (liveRunView, compareSpec): no chart is drawn by hand here.
import { compareSpec, liveRunView, runEvents, studyLaw, type RunRecord, type StudyLaw } from '@grokscope/analysis';
import { BACKENDS, DEFAULT_BACKEND, NATIVE_BACKEND } from '@grokscope/core/facts';
import { CYCLIC_OPS, SPLIT_UNITS } from '@grokscope/tasks';
import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { conditionOf, defaultControls, labConfig, type LabControls } from './labConfig';
import type { FromWorker, LabEnd, ToWorker } from './protocol';
import { zip } from './zip';
// Named imports of JSON: the bundle keeps the version and nothing else of each package.json.
import { version as labVersion } from '../../package.json';
import { version as modelsVersion } from '@grokscope/models/package.json';
import { version as probesVersion } from '@grokscope/probes/package.json';
import { version as tasksVersion } from '@grokscope/tasks/package.json';

/** WebGL 2 in a worker (an OffscreenCanvas context), which the WebGL backend needs there. */
function webglAvailable(): boolean {
  try {
    return typeof OffscreenCanvas !== 'undefined' && new OffscreenCanvas(1, 1).getContext('webgl2') !== null;
  } catch {
    return false;
  }
}

/**
 * Backends the page offers, and how each is labelled: core's backends that run in a browser (all
 * but the native one), the default first, which is the CLI's (the same numerics); then WebGL.
 */
const BACKEND_CHOICES: readonly (readonly [string, string])[] = [
  [DEFAULT_BACKEND, `${DEFAULT_BACKEND} (default: the CLI's numerics)`],
  ...(webglAvailable() ? [['webgl', 'webgl (GPU, float32: not the CLI’s numerics)'] as const] : []),
  ...BACKENDS.filter((b) => b !== DEFAULT_BACKEND && b !== NATIVE_BACKEND).map((b) => [b, b] as const),
];

interface LabRun {
  readonly name: string;
  readonly condition: string;
  readonly config: Record<string, unknown>;
  readonly thresholds: { memorised: number; grokked: number };
  records: RunRecord[];
  status: string;
  step: number;
  totalSteps: number;
  msPerStep: number;
  backend: string;
  files: Record<string, string> | null;
  end: LabEnd | null;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('controls');
const field = <T extends HTMLInputElement | HTMLSelectElement>(name: string) => form.elements.namedItem(name) as T;
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '—' : String(x));

const runs: LabRun[] = [];
let current: { run: LabRun; worker: Worker } | null = null;
let views: Result[] = [];
let drawTimer: ReturnType<typeof setTimeout> | null = null;
let lastDraw = 0;
/** Measured milliseconds per step by backend, from the runs of this page. */
const measured = new Map<string, number>();

function fillControls(c: LabControls): void {
  const ops = field<HTMLSelectElement>('op');
  ops.innerHTML = CYCLIC_OPS.map((o) => `<option>${esc(o)}</option>`).join('');
  const splits = field<HTMLSelectElement>('split');
  splits.innerHTML = SPLIT_UNITS.map((o) => `<option>${esc(o)}</option>`).join('');
  const backends = field<HTMLSelectElement>('backend');
  backends.innerHTML = BACKEND_CHOICES.map(([b, label]) => `<option value="${esc(b)}">${esc(label)}</option>`).join('');
  field<HTMLSelectElement>('op').value = c.op;
  field<HTMLInputElement>('modulus').value = String(c.modulus);
  field<HTMLInputElement>('trainFraction').value = String(c.trainFraction);
  field<HTMLSelectElement>('split').value = c.split;
  field<HTMLSelectElement>('dModel').value = String(c.dModel);
  field<HTMLInputElement>('seed').value = String(c.seed);
  field<HTMLInputElement>('steps').value = String(c.steps);
  field<HTMLInputElement>('evalEvery').value = String(c.evalEvery);
  field<HTMLInputElement>('stopAfterGrokked').value = c.stopAfterGrokked === null ? '' : String(c.stopAfterGrokked);
  field<HTMLInputElement>('entropyFloorOn').checked = c.entropyFloor !== null;
  field<HTMLInputElement>('normMatched').checked = c.normMatched;
}

/** The controls as read now; the URL's query may set any of them (`?modulus=23&steps=300`). */
function readControls(): LabControls {
  const n = (name: string) => Number(field<HTMLInputElement>(name).value);
  const stop = field<HTMLInputElement>('stopAfterGrokked').value.trim();
  return {
    op: field<HTMLSelectElement>('op').value,
    modulus: n('modulus'),
    trainFraction: n('trainFraction'),
    split: field<HTMLSelectElement>('split').value,
    dModel: n('dModel'),
    seed: n('seed'),
    steps: n('steps'),
    evalEvery: n('evalEvery'),
    stopAfterGrokked: stop === '' ? null : Number(stop),
    entropyFloor: field<HTMLInputElement>('entropyFloorOn').checked ? n('entropyFloor') : null,
    normMatched: field<HTMLInputElement>('normMatched').checked,
  };
}

function controlsFromQuery(): LabControls {
  const c: Record<string, unknown> = { ...defaultControls() };
  const q = new URLSearchParams(location.search);
  for (const [k, v] of q) {
    if (!(k in c)) continue;
    if (k === 'normMatched') c[k] = v === '1' || v === 'true';
    else if (k === 'stopAfterGrokked' || k === 'entropyFloor') c[k] = v === '' ? null : Number(v);
    else c[k] = typeof c[k] === 'number' ? Number(v) : v;
  }
  return c as unknown as LabControls;
}

function setStatus(text: string, state: string): void {
  const el = $('status');
  el.textContent = text;
  el.dataset['state'] = state;
}

function setButtons(): void {
  const running = current !== null;
  const paused = current?.run.status === 'paused';
  $<HTMLButtonElement>('start').disabled = running;
  $<HTMLButtonElement>('pause').disabled = !running || paused;
  $<HTMLButtonElement>('resume').disabled = !running || !paused;
  $<HTMLButtonElement>('download').disabled = !runs.some((r) => r.files);
}

function backendLabel(): void {
  const parts = [...measured].map(([b, ms]) => `${b} ${ms.toFixed(1)} ms/step`);
  const live = current ? `${current.run.backend}` : field<HTMLSelectElement>('backend').value;
  const fastest = [...measured].sort((a, b) => a[1] - b[1])[0];
  const label = $('backend-label');
  label.textContent = `backend: ${live}${parts.length ? ` · measured: ${parts.join(', ')}` : ''}`;
  if (measured.size > 1 && fastest) label.textContent += ` · fastest here: ${fastest[0]}`;
}

/** Times a few steps of the controls' config on every backend offered, in a worker of its own. */
function measureBackends(): void {
  const button = $<HTMLButtonElement>('measure');
  button.disabled = true;
  const backends = BACKEND_CHOICES.map(([b]) => b);
  const worker = new Worker('worker.js');
  let left = backends.length;
  const failures: string[] = [];
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type !== 'measured') return;
    if (m.msPerStep !== null) measured.set(m.backend, m.msPerStep);
    else failures.push(`${m.backend}: ${m.error ?? 'failed'}`);
    backendLabel();
    if (--left === 0) {
      worker.terminate();
      button.disabled = false;
      if (failures.length)
        setStatus(`Could not measure ${failures.join('; ')}`, $('status').dataset['state'] ?? 'idle');
    }
  };
  const message: ToWorker = { type: 'benchmark', config: labConfig(readControls()), backends };
  worker.postMessage(message);
}

/**
 * The law each run is drawn with: fitted on this page's other finished runs, of its condition
 * when there are such, as the dashboard fits a study's.
 */
function lawFor(run: LabRun): StudyLaw {
  const finished = runs.filter((r) => r !== run && r.end !== null);
  const same = finished.filter((r) => r.condition === run.condition);
  const pool = same.length ? same : finished;
  return studyLaw(
    pool.map((r) => ({ id: r.name, records: r.records, eventOptions: r.thresholds })),
    same.length ? `condition ${run.condition}` : 'all conditions',
  );
}

function eventsOf(run: LabRun) {
  return runEvents(run.records, run.thresholds);
}

async function draw(): Promise<void> {
  lastDraw = performance.now();
  const shown = current?.run ?? runs[runs.length - 1];
  const specs: (object | null)[] = [];
  if (shown && shown.records.length) {
    const ev = eventsOf(shown);
    const view = liveRunView(
      { name: shown.name, condition: shown.condition, status: shown.status, records: shown.records, events: ev },
      lawFor(shown),
    );
    specs.push(view.specs.run, view.specs.alignment, view.specs.forecast);
    const forecast = view.forecast?.predicted != null ? `t_grok forecast ${Math.round(view.forecast.predicted)}` : '';
    const e = $('events');
    const cross = `t_cross ${num(view.tCross)} (H̃* ${view.threshold.toFixed(3)})`;
    const grok = `t_grok ${num(ev.tGrok)}${forecast ? ` · ${forecast}` : ''}`;
    e.textContent = `${shown.name}: t_mem ${num(ev.tMem)} · ${cross} · ${grok}`;
    e.dataset['tMem'] = String(ev.tMem);
    e.dataset['tCross'] = String(view.tCross);
    e.dataset['tGrok'] = String(ev.tGrok);
  }
  const withRecords = runs.filter((r) => r.records.length);
  const compare =
    withRecords.length > 1
      ? compareSpec(
          withRecords.map((r) => ({ name: r.name, records: r.records, tGrok: eventsOf(r).tGrok })),
          { align: 'start' },
        )
      : null;
  const made: Result[] = [];
  const render = async (host: HTMLElement, list: (object | null)[]) => {
    const fresh: HTMLElement[] = [];
    for (const spec of list) {
      if (!spec) continue;
      const el = document.createElement('div');
      el.className = 'chart';
      made.push(
        await embed(el, spec as never, { renderer: 'svg', actions: false, ast: true, expr: expressionInterpreter }),
      );
      fresh.push(el);
    }
    host.replaceChildren(...fresh);
  };
  await render($('charts'), specs);
  await render($('compare'), [compare]);
  for (const v of views) v.finalize();
  views = made;
}

/** Redraws at most about three times a second, whatever the rate of evaluations. */
function scheduleDraw(): void {
  if (drawTimer !== null) return;
  const wait = Math.max(0, 300 - (performance.now() - lastDraw));
  drawTimer = setTimeout(() => {
    drawTimer = null;
    void draw();
  }, wait);
}

function renderRuns(): void {
  const body = $('runs');
  if (!runs.length) {
    body.innerHTML = '<tr><td colspan="8" class="muted">none yet</td></tr>';
    return;
  }
  body.innerHTML = runs
    .map((r, i) => {
      const ev = eventsOf(r);
      return `<tr data-run="${esc(r.name)}" data-status="${esc(r.status)}">
<td>${esc(r.name)}</td><td>${esc(r.condition)}</td><td class="run-status">${esc(r.status)}</td>
<td>${r.step} / ${r.totalSteps}</td><td>${num(ev.tMem)}</td><td>${num(ev.tGrok)}</td>
<td>${Number.isNaN(r.msPerStep) ? '—' : `${r.msPerStep.toFixed(1)} (${esc(r.backend)})`}</td>
<td>${r.files ? `<button type="button" data-download="${i}">download</button>` : ''}</td></tr>`;
    })
    .join('');
}

function download(run: LabRun): void {
  if (!run.files) return;
  // A run directory inside the archive: `unzip` gives a folder `grokscope analyze` reads.
  const order = ['manifest.json', 'metrics.jsonl', 'summary.json'];
  const bytes = zip(
    order.filter((f) => run.files![f] !== undefined).map((f) => ({ name: `${run.name}/${f}`, data: run.files![f]! })),
  );
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${run.name}.zip`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function start(): void {
  if (current) return;
  const c = readControls();
  const condition = conditionOf(c);
  let reference: LabRun | undefined;
  if (c.normMatched) {
    reference = [...runs].reverse().find((r) => r.condition === 'entropy-floor' && r.end !== null);
    if (!reference) {
      setStatus('The norm-matched control follows an entropy-floor run: train one first (entropy floor on).', 'failed');
      return;
    }
  }
  const name = `lab-${condition}-seed${c.seed}-${runs.length + 1}`;
  const config = labConfig(c, reference?.name);
  const backend = field<HTMLSelectElement>('backend').value;
  const run: LabRun = {
    name,
    condition,
    config,
    thresholds: config['thresholds'] as LabRun['thresholds'],
    records: [],
    status: 'starting',
    step: 0,
    totalSteps: c.steps,
    msPerStep: NaN,
    backend,
    files: null,
    end: null,
  };
  runs.push(run);
  const worker = new Worker('worker.js');
  current = { run, worker };
  worker.onmessage = (e: MessageEvent<FromWorker>) => onWorker(run, worker, e.data);
  worker.onerror = (e) => finish(run, worker, 'failed', e.message || 'the worker failed to start');
  const versions: Record<string, string> = {
    '@grokscope/lab': labVersion,
    '@grokscope/tasks': tasksVersion,
    '@grokscope/models': modelsVersion,
    '@grokscope/probes': probesVersion,
    browser: navigator.userAgent,
  };
  const message: ToWorker = { type: 'start', config, backend, reference: reference?.records, versions };
  worker.postMessage(message);
  setStatus(`${name}: starting the ${backend} backend…`, 'starting');
  setButtons();
  renderRuns();
  backendLabel();
}

function onWorker(run: LabRun, worker: Worker, m: FromWorker): void {
  switch (m.type) {
    case 'ready':
      run.backend = m.backend;
      run.status = 'running';
      backendLabel();
      break;
    case 'progress':
      run.step = m.step;
      run.msPerStep = m.msPerStep;
      measured.set(run.backend, m.msPerStep);
      if (run.status !== 'paused') setStatus(`${run.name}: step ${m.step} of ${m.totalSteps}`, 'running');
      backendLabel();
      break;
    case 'evaluation':
      run.records.push(m.record);
      scheduleDraw();
      break;
    case 'paused':
      if (run.end) break; // the run ended as the pause was asked for
      run.status = 'paused';
      setStatus(`${run.name}: paused at step ${m.step}`, 'paused');
      break;
    case 'resumed':
      run.status = 'running';
      setStatus(`${run.name}: resumed at step ${m.step}`, 'running');
      break;
    case 'done':
      run.files = m.files;
      run.end = m.end;
      if (!Number.isNaN(m.msPerStep)) run.msPerStep = m.msPerStep;
      run.step = m.end.step;
      finish(
        run,
        worker,
        m.end.status,
        `${run.name}: ${m.end.status} at step ${m.end.step}${m.end.reason ? ` (${m.end.reason})` : ''}`,
      );
      break;
    case 'failed':
      run.files = Object.keys(m.files).length ? m.files : null;
      finish(run, worker, 'failed', `${run.name} failed: ${m.message}`);
      break;
  }
  setButtons();
  renderRuns();
}

function finish(run: LabRun, worker: Worker, status: string, text: string): void {
  run.status = status;
  worker.terminate();
  if (current?.run === run) current = null;
  setStatus(text, status);
  setButtons();
  renderRuns();
  void draw();
}

function post(m: ToWorker): void {
  current?.worker.postMessage(m);
}

function reset(): void {
  // Stops the run in training (its worker goes with it) and forgets every run of the page.
  current?.worker.terminate();
  current = null;
  runs.length = 0;
  for (const v of views) v.finalize();
  views = [];
  $('charts').replaceChildren();
  $('compare').replaceChildren();
  $('events').textContent = '';
  setStatus('Reset. Set the task and press start.', 'idle');
  setButtons();
  renderRuns();
}

fillControls(controlsFromQuery());
backendLabel();
setButtons();
$('start').addEventListener('click', start);
$('pause').addEventListener('click', () => post({ type: 'pause' }));
$('resume').addEventListener('click', () => post({ type: 'resume' }));
$('reset').addEventListener('click', reset);
$('measure').addEventListener('click', measureBackends);
$('download').addEventListener('click', () => {
  const last = [...runs].reverse().find((r) => r.files);
  if (last) download(last);
});
$('runs').addEventListener('click', (e) => {
  const i = (e.target as HTMLElement).dataset['download'];
  if (i !== undefined && runs[Number(i)]) download(runs[Number(i)]!);
});
field<HTMLSelectElement>('backend').addEventListener('change', backendLabel);
