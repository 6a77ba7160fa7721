import * as fs from 'node:fs';
import * as path from 'node:path';
import { GrokscopeError, RunStore, type Summary, useBackend } from '@grokscope/core';
import { buildTrainer, planRun } from './buildTrainer';
import type { RunConfig } from './configSchema';
import { type ConfigSources, loadConfig } from './loadConfig';
import { formatSeconds, type ProgressMode, reportProgress } from './progressReporter';
import { acquireRunLock, LOCK_FILE } from './runLock';

export interface TrainOptions extends ConfigSources {
  /** The run directory (default `runs/<name>-<seed>`). */
  readonly out?: string;
  /**
   * The directory must hold a run to continue; without a preset or config file, the run's
   * stored config is used (flags like --steps still apply).
   */
  readonly resume?: boolean;
  readonly mode: ProgressMode;
  /** Seconds between plain progress lines (no TTY). */
  readonly progressEvery?: number;
  /** The command line to show in the "resume with" hint. */
  readonly commandLine?: string;
}

export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, interrupted: 130 });

/**
 * `grokscope train`: runs one config into one directory. Running the same command again on an
 * unfinished run resumes it from its last checkpoint; a finished run is reported, not
 * retrained; a directory holding a run of another config is refused.
 */
export async function trainCommand(opts: TrainOptions): Promise<number> {
  const storedBase = opts.resume && opts.preset === undefined && opts.file === undefined ? storedConfig(opts.out) : undefined;
  const config = loadConfig({ ...opts, base: storedBase, preset: storedBase ? undefined : (opts.preset ?? (opts.file ? undefined : 'quick')) });
  const out = path.resolve(opts.out ?? path.join('runs', `${config.name ?? 'run'}-${config.seed}`));
  const store = new RunStore(out);
  const say = (text: string) => {
    if (opts.mode !== 'json') process.stdout.write(text + '\n');
  };
  const reportFinished = (summary: Summary) => {
    if (opts.mode === 'json') process.stdout.write(JSON.stringify({ event: 'done', ...doneFields(summary), dir: out, alreadyFinished: true }) + '\n');
    say(`already ${finalLine(summary, out)}`);
    return EXIT.ok;
  };
  let state = inspectRunDir(store, config, opts.resume === true);
  if (state.kind === 'finished') return reportFinished(state.summary);
  const plan = planRun(config);
  const existedBefore = fs.existsSync(out);
  const release = await acquireRunLock(out);
  const cleanup = () => {
    release();
    if (!existedBefore && !store.exists()) removeAbandoned(out);
  };
  process.once('exit', cleanup);
  // Again under the lock: another process may have trained this run while we waited for it.
  try {
    state = inspectRunDir(store, config, opts.resume === true);
  } catch (err) {
    cleanup();
    throw err;
  }
  if (state.kind === 'finished') {
    process.off('exit', cleanup);
    cleanup();
    return reportFinished(state.summary);
  }
  let finished = false;
  const seen = new Set<NodeJS.Signals>();
  let trainer: ReturnType<typeof buildTrainer> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    // Nothing left to save (not started, or already ended), or the same signal twice (Ctrl-C
    // again): quit now, the last checkpoint stands. A different second signal (a sweep forwards
    // SIGTERM while the terminal's SIGINT also arrived) is the same request.
    if (!trainer || finished || seen.has(signal)) process.exit(EXIT.interrupted);
    seen.add(signal);
    if (seen.size > 1) return;
    process.stderr.write(`\n${signal}: finishing this step and writing a checkpoint… (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit at once)\n`);
    trainer.interrupt(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await useBackend(config.backend);
    trainer = buildTrainer(config, out, { resume: state.kind === 'resume', plan });
    if (opts.mode === 'tty' || opts.mode === 'plain') say(`${state.kind === 'resume' ? 'resuming' : 'training'} ${describeConfig(config)} → ${out}`);
    reportProgress(trainer, opts.mode, { out: process.stdout, everySeconds: opts.progressEvery, dir: out });
    const end = await trainer.run();
    finished = true;
    if (end.status === 'interrupted') {
      const again = opts.commandLine ? `${opts.commandLine}  (or: grokscope train --out ${quote(out)} --resume)` : `grokscope train --out ${quote(out)} --resume`;
      say(`interrupted at step ${end.step}; checkpoint written to ${out}\nresume with: ${again}`);
      return EXIT.interrupted;
    }
    const summary = store.readSummary();
    say(finalLine(summary ?? { status: end.status, steps: end.step, events: end.events, wallMs: NaN, reason: end.reason }, out));
    return EXIT.ok;
  } finally {
    finished = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', cleanup);
    trainer?.model.dispose();
    trainer?.dispose();
    cleanup();
  }
}

type DirState = { kind: 'fresh' } | { kind: 'resume' } | { kind: 'finished'; summary: Summary };

/**
 * What to do with `out`: start fresh, resume (an unfinished run of this config — `train.steps`
 * may grow), or report it (finished: completed up to the step cap, or stopped by a rule).
 * Another config's run is an error naming the directory and the differences.
 */
export function inspectRunDir(store: RunStore, config: RunConfig, resumeRequired: boolean): DirState {
  if (!store.exists()) {
    if (resumeRequired) throw new GrokscopeError('E_NO_RUN', `--resume: ${store.dir} holds no run to resume (no manifest.json); drop --resume to start one`);
    return { kind: 'fresh' };
  }
  const differences = diffConfigs(store.readManifest().config, config);
  if (differences.length > 0) {
    throw new GrokscopeError(
      'E_RUN_EXISTS',
      `${store.dir} holds a run of a different config (${differences.slice(0, 5).join('; ')}${differences.length > 5 ? '; …' : ''}); ` +
        'choose another --out, or delete that directory',
    );
  }
  const summary = store.readSummary();
  if (summary && (summary.status === 'stopped' || (summary.status === 'completed' && summary.steps >= config.train.steps))) return { kind: 'finished', summary };
  return { kind: 'resume' };
}

/**
 * Differences between a stored config and a new one, as `field: old → new`. `train.steps` may
 * differ (a longer cap extends a run), and fields the stored config lacks (written by an older
 * version, before they existed) take the new value.
 */
export function diffConfigs(stored: unknown, next: unknown, prefix = ''): string[] {
  if (prefix === 'train.steps' || stored === undefined) return [];
  const isObj = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(stored) || !isObj(next)) {
    return JSON.stringify(stored) === JSON.stringify(next) ? [] : [`${prefix || '(root)'}: ${JSON.stringify(stored)} → ${JSON.stringify(next)}`];
  }
  const a = stored as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => diffConfigs(a[k], b[k], prefix ? `${prefix}.${k}` : k));
}

function storedConfig(out: string | undefined): Record<string, unknown> {
  if (out === undefined) throw new GrokscopeError('E_NO_RUN', '--resume needs --out DIR (the run to resume), or a --preset / --config to rebuild it from');
  const store = new RunStore(out);
  if (!store.exists()) throw new GrokscopeError('E_NO_RUN', `--resume: ${path.resolve(out)} holds no run to resume (no manifest.json)`);
  const config = store.readManifest().config;
  if (config === null || typeof config !== 'object') throw new GrokscopeError('E_NO_RUN', `--resume: ${store.manifestPath} records no config; give the --preset or --config it was started with`);
  return config as Record<string, unknown>;
}

/** `a+b mod 31 (train 0.6), transformer d64×4 heads, seed 0, 5000 steps` */
export function describeConfig(c: RunConfig): string {
  const t = c.task;
  const task =
    t.kind === 'cyclic' ? `${t.op} mod ${t.modulus}` : t.kind === 'symmetric' ? `S${t.n}` : t.kind === 'dihedral' ? `D${t.n}` : `Cayley table ${path.basename(t.path)}`;
  const m = c.model;
  const model = m.kind === 'transformer' ? `transformer d${m.dModel}, ${m.heads} heads, ${m.layers} layer${m.layers > 1 ? 's' : ''}` : `MLP [${m.hidden.join(', ')}]`;
  const extra = c.condition !== 'baseline' ? `, ${c.condition}` : '';
  return `${c.name ?? 'run'}: ${task} (train ${t.trainFraction}), ${model}, seed ${c.seed}, ${c.train.steps} steps${extra}`;
}

function doneFields(s: Summary) {
  return { status: s.status, step: s.steps, reason: s.reason, events: s.events, wallMs: s.wallMs };
}

/** `completed at step 5000 in 1m44s: memorised at 150, grokked at 1600; run written to DIR` */
export function finalLine(s: Pick<Summary, 'status' | 'steps' | 'events' | 'wallMs' | 'reason'>, dir: string): string {
  const wall = Number.isFinite(s.wallMs) ? ` in ${formatSeconds(s.wallMs / 1000)}` : '';
  const why = s.status === 'stopped' && s.reason ? ` (${s.reason})` : '';
  const mem = s.events.memorised === null ? 'not memorised' : `memorised at ${s.events.memorised}`;
  const grok = s.events.grokked === null ? `not grokked by step ${s.steps}` : `grokked at ${s.events.grokked}`;
  return `${s.status} at step ${s.steps}${wall}${why}: ${mem}, ${grok}; run written to ${dir}`;
}

/** A run that failed before writing its manifest leaves no directory behind (only what this command created). */
function removeAbandoned(dir: string): void {
  for (const f of ['summary.json', LOCK_FILE]) fs.rmSync(path.join(dir, f), { force: true });
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty: someone else's files; leave them
  }
}

export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
