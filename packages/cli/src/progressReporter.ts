import type { MetricsRecord, RunEnd, Trainer } from '@grokscope/core';
import { METRIC_TAGS } from '@grokscope/core/facts';
import { jsonEvent } from './jsonEvent';

/** tty: a redrawn bar; plain: a line every few seconds (logs, CI); json: one event per line; quiet: nothing. */
export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

export interface ProgressOptions {
  readonly out?: NodeJS.WritableStream & { columns?: number };
  /** Seconds between plain lines (default 10). */
  readonly everySeconds?: number;
  /** The run directory, echoed in the JSON `done` event. */
  readonly dir?: string;
  /** false: the caller writes the JSON `done` event itself (train adds the run's story to it). */
  readonly doneEvent?: boolean;
}

/** At most this many bar redraws per second on a TTY, and JSON step events per second. */
const TTY_REDRAWS_PER_S = 5;
const JSON_STEPS_PER_S = 1;

/**
 * Live progress for a trainer, from its events (it never touches the run): a redrawn bar on a
 * TTY (step, steps/s, ETA, train/test accuracy, H̃ = entropy/Hn), a plain line every
 * `everySeconds` otherwise, or one JSON object per line — `step` (throttled), every
 * `evaluation` record, `checkpoint`, `log`, and `done`.
 */
export function reportProgress(trainer: Trainer, mode: ProgressMode, o: ProgressOptions = {}): void {
  const out = o.out ?? process.stdout;
  const everyMs = (o.everySeconds ?? 10) * 1000;
  const total = trainer.options.steps;
  let last: MetricsRecord | undefined;
  let first: { step: number; t: number } | undefined;
  let lastDraw = -Infinity;
  let step = 0;
  const json = (event: string, fields: object) => out.write(jsonEvent(event, fields) + '\n');
  const line = () => {
    // The rate is measured from the end of the first step seen (which includes start-up) to the
    // last: until a later step has ended there is no rate, and the line says '–', not a guess.
    const elapsed = first ? (performance.now() - first.t) / 1000 : 0;
    const rate = elapsed > 0 && first && step > first.step ? (step - first.step) / elapsed : null;
    const eta = rate !== null && rate > 0 ? formatSeconds((total - step) / rate) : '–';
    const m = last?.metrics ?? {};
    const { accuracyTrain, accuracyTest, entropyHn } = METRIC_TAGS;
    const measured = `train ${fmt(m[accuracyTrain])}  test ${fmt(m[accuracyTest])}  H̃ ${fmt(m[entropyHn])}`;
    return `step ${step}/${total}  ${rate === null ? '–' : rate.toFixed(1)} steps/s  ETA ${eta}  ${measured}`;
  };
  let drawn = 0;
  const draw = () => {
    const width = 20;
    const filled = Math.min(width, Math.round((width * step) / total));
    let text = `[${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${line()}`;
    if (out.columns && text.length >= out.columns) text = text.slice(0, out.columns - 1);
    // Spaces, not ESC[K, clear what is left of the previous bar: no escape code at all, so
    // NO_COLOR and terminals without ANSI support see plain text (wantsColour).
    const pad = Math.max(0, Math.min(drawn, out.columns ? out.columns - 1 : drawn) - text.length);
    out.write(`\r${text}${' '.repeat(pad)}`);
    drawn = text.length;
  };

  trainer.events.on('step', (e) => {
    step = e.step;
    const now = performance.now();
    first ??= { step: e.step, t: now };
    if (mode === 'tty' && now - lastDraw >= 1000 / TTY_REDRAWS_PER_S) {
      draw();
      lastDraw = now;
    } else if (mode === 'plain' && now - lastDraw >= everyMs) {
      if (lastDraw !== -Infinity) out.write(line() + '\n');
      lastDraw = now;
    } else if (mode === 'json' && now - lastDraw >= 1000 / JSON_STEPS_PER_S) {
      json('step', { step: e.step, totalSteps: e.totalSteps, loss: e.loss });
      lastDraw = now;
    }
  });
  trainer.events.on('evaluation', (r) => {
    last = r;
    step = Math.max(step, r.step);
    if (mode === 'json') json('evaluation', r);
  });
  trainer.events.on('checkpoint', (e) => {
    if (mode === 'json') json('checkpoint', e);
  });
  trainer.events.on('log', (e) => {
    if (mode === 'json') json('log', e);
    else if (e.level === 'warn') process.stderr.write(`${mode === 'tty' ? '\n' : ''}warning: ${e.message}\n`);
    else if (mode !== 'quiet') out.write(`${mode === 'tty' && step > 0 ? '\n' : ''}${e.message}\n`);
  });
  trainer.events.on('done', (end: RunEnd) => {
    if (mode === 'tty') {
      draw();
      out.write('\n');
    } else if (mode === 'plain' && step > 0) {
      out.write(line() + '\n');
    } else if (mode === 'json' && o.doneEvent !== false) {
      json('done', { status: end.status, step: end.step, reason: end.reason, events: end.events, dir: o.dir });
    }
  });
}

const fmt = (x: number | undefined, digits = 3) => (x === undefined ? '–' : x.toFixed(digits));

/** 42s, 3m07s, 2h05m */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
