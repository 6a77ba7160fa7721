import type { MetricsRecord, RunEnd, Trainer } from '@grokscope/core';

export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

/**
 * Live progress for a trainer: a redrawn bar on a TTY (step, steps/s, ETA, train/test accuracy,
 * H̃), a plain line every `everySeconds` otherwise, one JSON event per line with `json`.
 */
export function reportProgress(trainer: Trainer, mode: ProgressMode, out: NodeJS.WriteStream = process.stdout, everySeconds = 10): void {
  const total = trainer.options.steps;
  let last: MetricsRecord | undefined;
  let startStep: number | undefined;
  let t0 = 0;
  let lastDraw = 0;
  const fmt = (x: number | undefined, digits = 3) => (x === undefined ? '–' : x.toFixed(digits));
  const line = (step: number) => {
    const elapsed = (performance.now() - t0) / 1000;
    const rate = elapsed > 0 ? (step - (startStep ?? 0)) / elapsed : 0;
    const eta = rate > 0 ? (total - step) / rate : Infinity;
    const m = last?.metrics ?? {};
    return `step ${step}/${total}  ${rate.toFixed(1)} steps/s  ETA ${Number.isFinite(eta) ? formatSeconds(eta) : '–'}  train ${fmt(m['accuracy/train'])}  test ${fmt(m['accuracy/test'])}  H̃ ${fmt(m['entropy/Hn'])}`;
  };
  const json = (e: object) => out.write(JSON.stringify(e) + '\n');
  trainer.events.on('step', ({ step }) => {
    if (startStep === undefined) {
      startStep = step - 1;
      t0 = performance.now();
    }
    const now = performance.now();
    if (mode === 'tty' && now - lastDraw > 200) {
      const width = 24;
      const filled = Math.round((width * step) / total);
      out.write(`\r[${'█'.repeat(filled)}${' '.repeat(width - filled)}] ${line(step)}\x1b[K`);
      lastDraw = now;
    } else if (mode === 'plain' && now - lastDraw > everySeconds * 1000) {
      out.write(line(step) + '\n');
      lastDraw = now;
    } else if (mode === 'json' && now - lastDraw > 1000) {
      json({ event: 'step', step, totalSteps: total });
      lastDraw = now;
    }
  });
  trainer.events.on('evaluation', (r) => {
    last = r;
    if (mode === 'json') json({ event: 'evaluation', ...r });
  });
  trainer.events.on('checkpoint', (e) => mode === 'json' && json({ event: 'checkpoint', ...e }));
  trainer.events.on('log', (e) => {
    if (mode === 'json') json({ event: 'log', ...e });
    else if (mode !== 'quiet' || e.level === 'warn') process.stderr.write(`${mode === 'tty' ? '\n' : ''}${e.level}: ${e.message}\n`);
  });
  trainer.events.on('done', (end: RunEnd) => {
    if (mode === 'tty') out.write('\n');
    if (mode === 'json') json({ event: 'done', status: end.status, step: end.step, reason: end.reason, events: end.events });
  });
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
