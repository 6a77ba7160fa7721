import * as fs from 'node:fs';
import * as path from 'node:path';
import { GrokscopeError, isFinished, type RunEnd, RunStore, type Summary, useBackend } from '@grokscope/core';
import { diffConfigs } from '@grokscope/core/internal';
import type { RunStatus } from '@grokscope/core';
import { buildTrainer, planRun } from './buildTrainer';
import { checkOutputDir } from './checkOutputDir';
import { type ModuleRef, type RunConfig } from './configSchema';
import { modelKindOf, taskKindOf } from './kinds';
import { jsonEvent } from './jsonEvent';
import { describe } from './resolveComponents';
import { type ConfigSources, loadConfig } from './loadConfig';
import { formatSeconds, type ProgressMode, reportProgress } from './progressReporter';
import { onStdoutClosed, stdoutClosed } from './stdoutGuard';
import { acquireRunLock, runRemovedError } from './runLock';
import { readRunManifest } from './runManifest';
import { resolveWorkers } from './workerCount';

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
  /** wasm backend threads (`--threads`); default auto. Results do not depend on it. */
  readonly threads?: number | 'auto';
  /** Threads computing a sharded run's shards (`--workers`); default auto. Results do not depend on it. */
  readonly workers?: number | 'auto';
}

/** The preset `train` starts from when none is named (its --help says so). */
export const DEFAULT_PRESET = 'quick';

/** `locked` (75, EX_TEMPFAIL): another live process trains this run; try again later (a sweep reports it as busy, not failed). */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, locked: 75, interrupted: 130 });

/**
 * `grokscope train`: runs one config into one directory. Running the same command again on an
 * unfinished run resumes it from its last checkpoint; a finished run is reported, not
 * retrained; a directory holding a run of another config is refused.
 */
export async function trainCommand(opts: TrainOptions): Promise<number> {
  const storedBase =
    opts.resume && opts.preset === undefined && opts.file === undefined ? storedConfig(opts.out) : undefined;
  // --preset defaults to quick: alone, or under a config file (which fills in the rest; not under a run's manifest.json).
  const config = loadConfig({
    ...opts,
    base: storedBase,
    preset: storedBase ? undefined : (opts.preset ?? (opts.file ? undefined : DEFAULT_PRESET)),
    defaultPreset: DEFAULT_PRESET,
  });
  const workers = resolveWorkers(opts.workers); // a bad GROKSCOPE_WORKERS is a usage error before anything starts
  const out = path.resolve(opts.out ?? path.join('runs', `${config.name ?? 'run'}-${config.seed}`));
  const store = new RunStore(out);
  const say = (text: string) => {
    if (opts.mode !== 'json' && !stdoutClosed()) process.stdout.write(text + '\n');
  };
  const reportFinished = async (summary: Summary) => {
    // A run finished before run.svg existed gets one now; the story is told again.
    const ending = await endOfRun(store, config, opts.mode, { draw: !fs.existsSync(path.join(out, 'run.svg')) });
    if (opts.mode === 'json')
      process.stdout.write(
        jsonEvent('done', { ...doneFields(summary), dir: out, alreadyFinished: true, ...ending.fields }) + '\n',
      );
    for (const line of ending.screen) say(line);
    say(`already ${finalLine(summary, out)}`);
    if (opts.mode === 'tty' || opts.mode === 'plain') say(nextSteps(out, ending.chart));
    return EXIT.ok;
  };
  let state = inspectRunDir(store, config, opts.resume === true);
  if (state.kind === 'finished') return reportFinished(state.summary);
  const plan = planRun(config, undefined, workers);
  checkOutputDir(out, '--out'); // a file, a read-only disk: one clear line before the lock creates anything
  const existedBefore = fs.existsSync(out);
  const lock = await acquireRunLock(out);
  const cleanup = () => {
    lock.release();
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
    process.stderr.write(
      `\n${signal}: finishing this step and writing a checkpoint… (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit at once)\n`,
    );
    trainer.interrupt(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await useBackend(config.backend, { threads: opts.threads });
    trainer = buildTrainer(config, out, {
      resume: state.kind === 'resume',
      plan,
      writeGuard: lock,
      workers,
    });
    onStdoutClosed(() => trainer?.interrupt('stdout closed')); // `train --json | head`: checkpoint and exit 130, as on Ctrl-C
    if (opts.mode === 'tty' || opts.mode === 'plain')
      say(`${state.kind === 'resume' ? 'resuming' : 'training'} ${describeConfig(config)} → ${out}`);
    // The `done` event is written here, after run.svg, so that it carries the run's story.
    reportProgress(trainer, opts.mode, {
      out: process.stdout,
      everySeconds: opts.progressEvery,
      dir: out,
      doneEvent: false,
    });
    let ended: RunEnd | undefined;
    trainer.events.on('done', (e) => (ended = e));
    const tell = async (end: RunEnd, screen: boolean) => {
      // The run is over: release it before drawing (run.svg is not part of its state, and a
      // kill -9 while drawing must not leave a finished run locked). A process that lost the
      // run to another (E_RUN_LOCKED) draws nothing into it; nor does a run that failed before
      // its directory was opened.
      let held = true;
      try {
        lock.assertHeld();
      } catch {
        held = false;
      }
      process.off('exit', cleanup);
      cleanup();
      const what = { draw: true, status: end.status };
      // A run refused as it opened (a damaged log, another config's checkpoint) wrote no summary and
      // has nothing new to draw: reading its log again would only repeat the error as a warning.
      const opened = end.status === 'interrupted' || fs.existsSync(store.summaryPath);
      const ending =
        held && store.exists() && opened
          ? await endOfRun(store, config, screen ? opts.mode : 'quiet', what)
          : NO_ENDING;
      if (opts.mode === 'json' && !stdoutClosed()) {
        process.stdout.write(
          jsonEvent('done', {
            status: end.status,
            step: end.step,
            reason: end.reason,
            events: end.events,
            dir: out,
            ...ending.fields,
          }) + '\n',
        );
      }
      for (const line of ending.screen) say(line);
      return ending;
    };
    let end: RunEnd;
    try {
      end = await trainer.run();
    } catch (err) {
      finished = true;
      if (ended) await tell(ended, false);
      // A folder removed mid-run fails whichever write comes next — the lock check (no holder)
      // or the write itself (ENOENT): either way, say what happened.
      if (!fs.existsSync(out)) throw runRemovedError(out, err);
      throw err;
    }
    finished = true;
    const ending = await tell(end, true);
    const next = opts.mode === 'tty' || opts.mode === 'plain';
    if (end.status === 'interrupted') {
      const again = opts.commandLine
        ? `${opts.commandLine}  (or: grokscope train --out ${quote(out)} --resume)`
        : `grokscope train --out ${quote(out)} --resume`;
      const hint = `interrupted at step ${end.step}; checkpoint written to ${out}\nresume with: ${again}`;
      // With stdout gone (`train --json | head`) the hint goes where the user still looks.
      if (stdoutClosed()) process.stderr.write(`stdout closed: ${hint}\n`);
      else say(hint + (next && ending.chart ? `\npicture so far: ${shortPath(ending.chart)}` : ''));
      return EXIT.interrupted;
    }
    const summary = store.readSummary();
    say(
      finalLine(
        summary ?? { status: end.status, steps: end.step, events: end.events, wallMs: NaN, reason: end.reason },
        out,
      ),
    );
    if (next) say(nextSteps(out, ending.chart));
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
    if (resumeRequired)
      throw new GrokscopeError(
        'E_NO_RUN',
        `--resume: ${store.dir} holds no run to resume (no manifest.json); drop --resume to start one`,
      );
    return { kind: 'fresh' };
  }
  // A run whose config has no shard count was cut into one (shards are newer than some runs).
  const oneShard = (c: Record<string, unknown>) => {
    const train = (c['train'] ?? {}) as Record<string, unknown>;
    return { ...c, train: { ...train, shards: train['shards'] ?? 1 } };
  };
  const differences = diffConfigs(oneShard(readRunManifest(store).config), oneShard(config));
  if (differences.length > 0) {
    throw new GrokscopeError(
      'E_RUN_EXISTS',
      `${store.dir} holds a run of a different config (${differences.slice(0, 5).join('; ')}${differences.length > 5 ? '; …' : ''}); ` +
        'choose another --out, or delete that directory',
    );
  }
  const summary = store.readSummary();
  if (summary && isFinished(summary, config.train.steps)) return { kind: 'finished', summary };
  return { kind: 'resume' };
}

function storedConfig(out: string | undefined): Record<string, unknown> {
  if (out === undefined)
    throw new GrokscopeError(
      'E_NO_RUN',
      '--resume needs --out DIR (the run to resume), or a --preset / --config to rebuild it from',
    );
  const store = new RunStore(out);
  if (!store.exists())
    throw new GrokscopeError('E_NO_RUN', `--resume: ${path.resolve(out)} holds no run to resume (no manifest.json)`);
  return readRunManifest(store).config;
}

/** `a+b mod 31 (train 0.6), transformer d64×4 heads, seed 0, 5000 steps`: each kind described by its own descriptor. */
export function describeConfig(c: RunConfig): string {
  const t = c.task;
  const task = describeKind(() => taskKindOf(t, process.cwd()), t);
  const model = describeKind(() => modelKindOf(c.model, process.cwd()), c.model);
  const extra = c.condition !== 'baseline' ? `, ${c.condition}` : '';
  return `${c.name ?? 'run'}: ${task} (train ${t.trainFraction}${t.split === 'unordered' ? ', unordered pairs' : ''}), ${model}, seed ${c.seed}, ${c.train.steps} steps${extra}`;
}

/** What the entry's kind calls it; a module exporting a plain factory (or one that does not load yet) by its module. */
function describeKind(
  kindOf: () => { descriptor: { describe(config: unknown): string }; config: unknown } | null,
  entry: object,
): string {
  let kind: ReturnType<typeof kindOf> = null;
  try {
    kind = kindOf();
  } catch {
    // A module that does not load is reported where it is built, naming its field.
  }
  return kind ? kind.descriptor.describe(kind.config) : describe(entry as ModuleRef);
}

interface EndOfRun {
  /** Draw run.svg (again). */
  readonly draw: boolean;
  /** How the run ended (default completed): an interrupted run's story calls it unfinished, not censored. */
  readonly status?: RunStatus;
}

interface Ending {
  /** The story's numbers for the JSON `done` event, and `chart`: run.svg's path (null: not written). */
  readonly fields: Record<string, unknown>;
  readonly chart: string | null;
  /** On a terminal: the chart and the story, line by line. */
  readonly screen: readonly string[];
}
const NO_ENDING: Ending = { fields: {}, chart: null, screen: [] };

/**
 * The story of an ended run (events, H̃ at memorisation, its minimum, t_cross, lead), run.svg
 * (when `draw`) and, in tty mode, the terminal chart. Loads the analysis package only now.
 * Never throws: a run that ended must not fail because its picture could not be drawn.
 */
async function endOfRun(store: RunStore, config: RunConfig, mode: ProgressMode, o: EndOfRun): Promise<Ending> {
  try {
    const e = await import('./runEnding');
    const { records } = store.readMetrics();
    const story = e.storyOf(records, config.thresholds);
    const existing = path.join(store.dir, e.RUN_SVG);
    const chart = o.draw
      ? await e.writeRunSvg(store.dir, describeConfig(config), records, story)
      : fs.existsSync(existing)
        ? existing
        : null;
    let plot = '';
    if (mode === 'tty') {
      try {
        plot = e.terminalChart(records, story, process.stdout.columns).trimEnd();
      } catch (err) {
        process.stderr.write(`warning: no terminal chart: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    const told = e.storyLines(story, config.thresholds, config.train.steps, o.status);
    const screen = mode === 'tty' ? ['', ...(plot ? [plot, ''] : []), 'what this run shows:', ...told, ''] : [];
    return { fields: { ...e.storyFields(story), chart }, chart, screen };
  } catch (err) {
    process.stderr.write(
      `warning: the run's summary and run.svg could not be made: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return NO_ENDING;
  }
}

/** A path as the user would type it: relative to the working directory when inside it. */
function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** The picture and what to run next (the commands that exist today, in the order a newcomer uses them). */
export function nextSteps(out: string, chart: string | null): string {
  const dir = quote(shortPath(out));
  // The repository's study when run from its root; otherwise a sweep file of the user's own.
  const study = fs.existsSync(path.join('sweeps', 'quick-study.yaml'));
  return [
    chart ? `picture: ${shortPath(chart)}` : `picture: none (run.svg could not be written; see the warning above)`,
    `next:    grokscope report ${dir} --out ${quote(path.join('report', path.basename(out)))}`,
    `         grokscope sweep ${study ? 'sweeps/quick-study.yaml' : 'STUDY.yaml   (see grokscope sweep --help)'}`,
    `         grokscope forecast ${dir} --fit-from ${study ? 'runs/quick-study' : 'STUDY_RUNS'}`,
  ].join('\n');
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
  // Not the lock file: ours is gone already (released), and any other is another process's.
  fs.rmSync(path.join(dir, 'summary.json'), { force: true });
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty: someone else's files; leave them
  }
}

export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
