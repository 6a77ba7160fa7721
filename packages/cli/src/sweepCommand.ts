import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, isFinished, RunStore, type Summary } from '@grokscope/core';
import { writeFileAtomic } from '@grokscope/core/internal';
import { planRun } from './buildTrainer';
import { checkOutputDir } from './checkOutputDir';
import {
  checkTime,
  DEFAULT_TIME,
  defaultJobName,
  emitScheduler,
  jobResources,
  parseMem,
  shellQuote,
} from './emitScheduler';
import { expandSweep, type PlannedRun, parseShard, readSweep, shardRuns } from './expandSweep';
import { jsonEvent } from './jsonEvent';
import { formatSeconds } from './progressReporter';
import { describeHolder, lockHolder } from './runLock';
import { runOrder } from './runOrder';
import { EXIT } from './trainCommand';

export interface SweepOptions {
  readonly file: string;
  /** Parallel worker processes (default: the number of cores). */
  readonly workers?: number;
  /** wasm threads per worker (`--threads`); default: the workers' own (GROKSCOPE_THREADS or 1). */
  readonly threads?: number | 'auto';
  /** "i/n": run only shard i of n. */
  readonly shard?: string;
  /** Write a scheduler job instead of running. */
  readonly emit?: 'slurm' | 'k8s';
  /** Shards for --emit (default 4). */
  readonly shards?: number;
  /** With --emit: how the job starts grokscope, and (Kubernetes) its image; see `JobCommand`. */
  readonly command?: string;
  readonly image?: string;
  /** With --emit: the job's name, Slurm time limit, CPUs (one worker each) and memory per shard (e.g. 4G). */
  readonly jobName?: string;
  readonly time?: string;
  readonly cpusPerTask?: number;
  readonly mem?: string;
  /** With --emit k8s: the results volume's StorageClass. */
  readonly storageClass?: string;
  /** With --emit slurm: grokscope's arguments for the report job (default `report OUT --out OUT/report`). */
  readonly report?: readonly string[];
  /** Replaces the sweep file's `out`. */
  readonly out?: string;
  readonly quiet?: boolean;
  /** One JSON event per line on stdout instead of text (docs/scripting.md). */
  readonly json?: boolean;
}

/** `busy`: another live process (a second sweep, a worker that outlived its sweep) trains the run; not a failure. */
type Status = 'completed' | 'stopped' | 'skipped' | 'failed' | 'blocked' | 'busy' | 'interrupted' | 'not started';

/** How often to look again at a run that another process trains, while a run of this sweep needs it. */
const BUSY_POLL_MS = 500;
/**
 * A worker that exits "locked" for a run needed here is retried (the other process may have just
 * let go); a lock race cannot repeat for ever, so after this many the run counts as busy.
 */
const MAX_LOCKED_RETRIES = 20;

interface Outcome {
  readonly run: PlannedRun;
  readonly status: Status;
  readonly error?: string;
  readonly summary?: Summary;
}

/**
 * `grokscope sweep`: every run of the grid (or of one shard), each in its own worker process
 * running `grokscope train`, so a crash stays isolated. Finished runs are skipped; interrupted
 * or crashed ones resume from their checkpoint (train does that on its own); a run waits for
 * the runs it references. A failed run is reported and does not stop the others. Ctrl-C or
 * SIGTERM checkpoints the running runs and ends with 130; the same command resumes.
 * A run that another live process trains (the same sweep started twice, a worker still
 * training after its sweep was killed) is busy, not failed: it is skipped, or — when a run of
 * this sweep references it — waited for, then taken as finished or resumed here. Busy runs and
 * no failures end with 75 (EXIT.locked): run the same command again later.
 */
export async function sweepCommand(o: SweepOptions): Promise<number> {
  for (const [flag, given] of [
    ['--command', o.command],
    ['--image', o.image],
    ['--job-name', o.jobName],
    ['--time', o.time],
    ['--cpus-per-task', o.cpusPerTask],
    ['--mem', o.mem],
    ['--storage-class', o.storageClass],
  ] as const) {
    if (given !== undefined && !o.emit)
      throw new ConfigError(flag, 'says what an emitted cluster job runs; add --emit slurm or --emit k8s, or drop it');
  }
  const spec = readSweep(o.file, o.out);
  const all = expandSweep(spec);
  for (const run of all) planRun(run.config); // config errors (a non-prime modulus, an unknown plugin) before anything runs
  if (o.emit) return emit(o, spec.out, all);
  const [index, count] = o.shard === undefined ? [0, 1] : parseShard(o.shard);
  const runs = shardRuns(all, index, count);
  const workers = Math.max(1, o.workers ?? os.availableParallelism());
  const log: Log = (s, event, fields) => {
    if (o.json) process.stdout.write(jsonEvent(event, fields) + '\n');
    else if (!o.quiet) process.stdout.write(s + '\n');
  };
  log(
    `sweep → ${spec.out}: ${runs.length} run${runs.length === 1 ? '' : 's'}${o.shard ? ` (shard ${index}/${count} of ${all.length})` : ''}, ${workers} worker${workers === 1 ? '' : 's'}`,
    'start',
    {
      out: spec.out,
      runs: runs.map((r) => r.name),
      total: all.length,
      shard: o.shard === undefined ? null : { index, count },
      workers,
    },
  );
  checkOutputDir(spec.out, o.out !== undefined ? '--out' : 'sweep out'); // a file, /proc (where recursive mkdir spins): one line, before anything is created
  fs.mkdirSync(path.join(spec.out, 'configs'), { recursive: true });
  fs.mkdirSync(path.join(spec.out, 'logs'), { recursive: true });

  const outcomes = new Map<string, Outcome>();
  const children = new Set<ChildProcess>();
  let stopping: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(EXIT.interrupted); // a second signal: workers got theirs from the terminal too
    stopping = signal;
    process.stderr.write(
      `\n${signal}: checkpointing ${children.size} running run(s); run the same command again to resume\n`,
    );
    // The other signal than the one received: a worker treats a second, different signal as the
    // same request, and a second of the same one as "quit at once". A Ctrl-C reaches the workers
    // from the terminal too, and Slurm's scancel sends SIGTERM to every process of the job: the
    // signal forwarded here must not count as their second.
    for (const c of children) c.kill(signal === 'SIGTERM' ? 'SIGINT' : 'SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const pending = runOrder(runs);
    const running = new Set<Promise<void>>();
    /** Cores the running runs hold (a run in a study's tail may hold several: runCores). */
    let busyCores = 0;
    /** Runs another process trains that stay pending because a pending run here needs them. */
    const waiting = new Set<string>();
    const lockedRetries = new Map<string, number>();
    /** Wall time of each run trained to its end by this invocation, for the ETA. */
    const trainedMs: number[] = [];
    const needed = (name: string) => pending.some((r) => r.dependsOn.includes(name));
    const ok = (name: string) => {
      const s = outcomes.get(name)?.status;
      if (s !== undefined) return s === 'completed' || s === 'stopped' || s === 'skipped';
      const planned = all.find((r) => r.name === name)!;
      return !runs.includes(planned) && finishedSummary(planned) !== null;
    };
    while ((pending.length > 0 && !stopping) || running.size > 0) {
      for (let k = 0; k < pending.length && busyCores < workers && !stopping; ) {
        const run = pending[k]!;
        const broken = run.dependsOn.find((d) =>
          ['failed', 'blocked', 'interrupted'].includes(outcomes.get(d)?.status ?? ''),
        );
        if (broken) {
          outcomes.set(run.name, { run, status: 'blocked', error: `needs ${broken}, which did not finish` });
          pending.splice(k, 1);
          continue;
        }
        const busyDep = run.dependsOn.find((d) => outcomes.get(d)?.status === 'busy');
        if (busyDep) {
          outcomes.set(run.name, { run, status: 'busy', error: `needs ${busyDep}, which another process is training` });
          pending.splice(k, 1);
          continue;
        }
        if (!run.dependsOn.every(ok)) {
          k++;
          continue;
        }
        const done = finishedSummary(run);
        const holder = done ? null : lockHolder(run.dir);
        if (holder && needed(run.name)) {
          // A run here references it: wait for the other process to let go, then look again.
          if (!waiting.has(run.name))
            log(
              `wait  ${run.name} (being trained by ${describeHolder(holder)}; needed by a run of this sweep)`,
              'run',
              {
                name: run.name,
                status: 'waiting',
                detail: `being trained by ${describeHolder(holder)}`,
              },
            );
          waiting.add(run.name);
          k++;
          continue;
        }
        pending.splice(k, 1);
        waiting.delete(run.name);
        if (done) {
          outcomes.set(run.name, { run, status: 'skipped', summary: done });
          log(`skip  ${run.name} (already ${done.status})`, 'run', {
            name: run.name,
            dir: run.dir,
            status: 'skipped',
            summary: done,
          });
          continue;
        }
        if (holder) {
          outcomes.set(run.name, { run, status: 'busy', error: `being trained by ${describeHolder(holder)}; skipped` });
          log(`busy  ${run.name} (being trained by ${describeHolder(holder)}; skipped)`, 'run', {
            name: run.name,
            dir: run.dir,
            status: 'busy',
            error: `being trained by ${describeHolder(holder)}`,
          });
          continue;
        }
        const started = performance.now();
        const cores = runCores(run, workers - busyCores, pending.length + 1);
        busyCores += cores;
        const p = execute(run, spec.out, o.threads, cores, children, log, () => stopping !== undefined).then(
          (outcome) => {
            running.delete(p);
            busyCores -= cores;
            if (outcome.status === 'completed' || outcome.status === 'stopped')
              trainedMs.push(performance.now() - started);
            const retries = lockedRetries.get(run.name) ?? 0;
            if (outcome.status === 'busy' && needed(run.name) && retries < MAX_LOCKED_RETRIES && !stopping) {
              lockedRetries.set(run.name, retries + 1);
              pending.push(run); // lost a lock race to another process: wait for it like any busy run
              return;
            }
            outcomes.set(run.name, outcome);
            if (!stopping)
              log(progressLine(runs.length, outcomes.size, running.size, trainedMs, workers), 'progress', {
                total: runs.length,
                ended: outcomes.size,
                running: running.size,
              });
          },
        );
        running.add(p);
      }
      if (running.size > 0 || (waiting.size > 0 && !stopping))
        await Promise.race([...running, ...(waiting.size > 0 ? [sleep(BUSY_POLL_MS)] : [])]);
      else if (pending.length > 0 && !stopping) {
        // Nothing runs and nothing can start: what is left waits on runs outside this shard.
        for (const r of pending.splice(0)) {
          outcomes.set(r.name, {
            run: r,
            status: 'blocked',
            error: `needs ${r.dependsOn.filter((d) => !ok(d)).join(', ')}, not finished and not in this shard`,
          });
        }
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const rows = runs.map((r) => outcomes.get(r.name) ?? { run: r, status: 'not started' as const });
  const busy = rows.filter((r) => r.status === 'busy').length;
  const exitCode = stopping
    ? EXIT.interrupted
    : rows.some((r) => r.status === 'failed' || r.status === 'blocked')
      ? EXIT.failed
      : busy > 0
        ? EXIT.locked
        : EXIT.ok;
  if (o.json) {
    process.stdout.write(
      jsonEvent('done', { out: spec.out, runs: rows.map(rowFields), interruptedBy: stopping ?? null, exitCode }) + '\n',
    );
    return exitCode;
  }
  process.stdout.write(summaryTable(rows));
  if (stopping) process.stdout.write(`interrupted by ${stopping}; run the same command again to resume\n`);
  else if (exitCode === EXIT.locked) {
    process.stdout.write(
      `${busy} run${busy === 1 ? ' is' : 's are'} being trained by another process; run the same command again later to pick up their results (or resume them)\n`,
    );
  }
  return exitCode;
}

/**
 * `--emit`: writes the job and says what it asks for — job names, array size, CPUs and workers,
 * memory, time limit — and which option changes each.
 */
function emit(o: SweepOptions, out: string, all: readonly PlannedRun[]): number {
  const shards = o.shards ?? 4;
  // Kubernetes replaces the results folder by its volume; a Slurm job writes to this one, shared.
  if (o.emit === 'slurm') checkOutputDir(out, o.out !== undefined ? '--out' : 'sweep out');
  const estimated = jobResources(all, shards);
  const resources = {
    cpusPerTask: o.cpusPerTask ?? estimated.cpusPerTask,
    memMiB: o.mem !== undefined ? parseMem(o.mem) : estimated.memMiB,
  };
  const time = o.time !== undefined ? checkTime(o.time) : o.emit === 'slurm' ? DEFAULT_TIME : undefined;
  const job = {
    command: o.command,
    image: o.image,
    jobName: o.jobName,
    time,
    resources,
    storageClass: o.storageClass,
    report: o.report,
  };
  const file = emitScheduler(o.emit!, path.resolve(o.file), out, shards, job);
  const jobName = o.jobName ?? defaultJobName(path.resolve(o.file));
  if (o.json) {
    const fields = {
      scheduler: o.emit,
      file,
      shards,
      jobName,
      cpusPerTask: resources.cpusPerTask,
      workers: resources.cpusPerTask,
    };
    process.stdout.write(jsonEvent('emitted', { ...fields, memMiB: resources.memMiB, time: time ?? null }) + '\n');
    return EXIT.ok;
  }
  const memWhy =
    o.mem !== undefined
      ? '--mem'
      : estimated.memEstimated
        ? 'estimated'
        : 'a default: some run has its own task or model module';
  const cpus = `${resources.cpusPerTask} CPU${resources.cpusPerTask === 1 ? '' : 's'}`;
  const lines = [`wrote ${file}`];
  if (o.emit === 'slurm') {
    lines.push(
      `  array job  ${jobName}: ${shards} task${shards === 1 ? '' : 's'} (--shards), one per shard; each ${cpus} = workers ` +
        `(--cpus-per-task), ${resources.memMiB}M memory (--mem, ${memWhy}), time limit ${time} (--time)`,
      `  report job ${jobName}-report: once every task has succeeded, writes ${path.join(out, 'report')}`,
      `submit both at once: bash ${shellQuote(file)}   (arguments after it go to sbatch, e.g. --partition=short)`,
    );
  } else {
    lines.push(
      `  Indexed Job ${jobName}: ${shards} pods (--shards), each ${cpus} = workers (--cpus-per-task), ${resources.memMiB}Mi memory (--mem, ${memWhy})`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
}

/** Prints a line of text, or (with --json) the event `event` with `fields`. */
type Log = (text: string, event: string, fields: object) => void;

/** A row of the summary table as the JSON `done` event lists it. */
function rowFields(r: Outcome) {
  return { name: r.run.name, dir: r.run.dir, status: r.status, summary: r.summary ?? null, error: r.error ?? null };
}

/** The run's summary when it has nothing left to do: completed up to its step cap, or stopped by a rule. */
export function finishedSummary(run: PlannedRun): Summary | null {
  try {
    const s = new RunStore(run.dir).readSummary();
    if (s && isFinished(s, run.config.train.steps)) return s;
  } catch {
    // an unreadable summary: the run is redone (train resumes it from its checkpoint)
  }
  return null;
}

/**
 * Cores a run about to start gets: runs come first, one core each while there are at least as many
 * runs left as free cores; a run gets more (up to its shards) only when cores would otherwise idle,
 * as in a study's tail. Its numbers do not depend on it (docs/throughput.md § Every core on one run).
 */
export function runCores(run: Pick<PlannedRun, 'config'>, freeCores: number, runsLeft: number): number {
  const shards = run.config.train.shards ?? 1;
  return Math.max(1, Math.min(shards, Math.floor(freeCores / Math.max(1, runsLeft))));
}

/**
 * One worker process: `grokscope train --config <out>/configs/NAME.json --out <out>/NAME --workers W [--threads T]`, its
 * output in `<out>/logs/NAME.log`. A worker that ends badly while the sweep is stopping (a
 * signal that reached it before its handler was installed) counts as interrupted, not failed.
 */
function execute(
  run: PlannedRun,
  out: string,
  threads: number | 'auto' | undefined,
  workers: number,
  children: Set<ChildProcess>,
  log: Log,
  stopped: () => boolean,
): Promise<Outcome> {
  const configFile = path.join(out, 'configs', `${run.name}.json`);
  writeFileAtomic(configFile, JSON.stringify(run.config, null, 2) + '\n');
  const logPath = path.join(out, 'logs', `${run.name}.log`);
  const logFile = fs.openSync(logPath, 'a');
  log(`start ${run.name}`, 'run', { name: run.name, dir: run.dir, status: 'started', log: logPath });
  const t0 = performance.now();
  return new Promise((resolve) => {
    const args = [
      path.join(__dirname, 'bin.js'),
      'train',
      '--config',
      configFile,
      '--out',
      run.dir,
      '--progress-every',
      '60',
      ...(threads === undefined ? [] : ['--threads', String(threads)]),
      '--workers',
      String(workers),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', logFile, 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      fs.writeSync(logFile, d);
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const finish = (outcome: Outcome) => {
      children.delete(child);
      fs.closeSync(logFile);
      resolve(outcome);
    };
    child.on('error', (err) => finish({ run, status: 'failed', error: `could not start a worker: ${err.message}` }));
    child.on('close', (code, signal) => {
      const wall = formatSeconds((performance.now() - t0) / 1000);
      const summary = finishedSummary(run);
      if (code === EXIT.ok && summary) {
        log(`done  ${run.name} (${eventsText(summary)}, ${wall})`, 'run', {
          name: run.name,
          dir: run.dir,
          status: summary.status === 'stopped' ? 'stopped' : 'completed',
          summary,
        });
        finish({ run, status: summary.status === 'stopped' ? 'stopped' : 'completed', summary });
      } else if (code === EXIT.interrupted || (stopped() && code !== EXIT.ok)) {
        log(`stop  ${run.name} (interrupted; checkpointed)`, 'run', {
          name: run.name,
          dir: run.dir,
          status: 'interrupted',
        });
        finish({ run, status: 'interrupted' });
      } else if (code === EXIT.locked) {
        // Another live process locked the run between our look and the worker's start.
        const error = stderr
          .trim()
          .split('\n')
          .pop()!
          .replace(/^error: /, '');
        log(`busy  ${run.name} (${error})`, 'run', { name: run.name, dir: run.dir, status: 'busy', error });
        finish({ run, status: 'busy', error });
      } else {
        const lines = stderr
          .trim()
          .split('\n')
          .filter((l) => l.trim() && !/^\s+at /.test(l));
        const error = lines.slice(-2).join(' | ') || (signal ? `killed by ${signal}` : `exit code ${code}`);
        log(`FAIL  ${run.name}: ${error} (log: ${logPath})`, 'run', {
          name: run.name,
          dir: run.dir,
          status: 'failed',
          error,
          log: logPath,
        });
        finish({ run, status: 'failed', error });
      }
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `      12/70 ended, 2 running, 56 left; ETA ~38m` — across the whole sweep (or study), after each
 * run ends. The ETA assumes the runs left take as long as those trained so far, `workers` at a time.
 */
export function progressLine(
  total: number,
  ended: number,
  running: number,
  trainedMs: readonly number[],
  workers: number,
): string {
  const left = Math.max(0, total - ended - running);
  const mean = trainedMs.length ? trainedMs.reduce((a, b) => a + b, 0) / trainedMs.length : null;
  const eta =
    mean === null || left + running === 0
      ? ''
      : `; ETA ~${formatSeconds(((left + running / 2) * mean) / Math.max(1, workers) / 1000)}`;
  return `      ${ended}/${total} ended, ${running} running, ${left} left${eta}`;
}

function eventsText(s: Summary): string {
  return `memorised ${s.events.memorised ?? '–'}, grokked ${s.events.grokked ?? '–'}`;
}

/** run | status | memorised | grokked | wall, aligned; errors on their own lines below. */
function summaryTable(rows: readonly Outcome[]): string {
  const table = [
    ['run', 'status', 'memorised', 'grokked', 'wall'],
    ...rows.map((r) => [
      r.run.name,
      r.status,
      String(r.summary?.events.memorised ?? '–'),
      r.summary ? String(r.summary.events.grokked ?? 'censored') : '–',
      r.summary ? formatSeconds(r.summary.wallMs / 1000) : '–',
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const fmt = (row: string[]) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join(' | ')
      .trimEnd();
  const lines = ['', fmt(table[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...table.slice(1).map(fmt)];
  const errors = rows.filter((r) => r.error);
  if (errors.length) lines.push('', ...errors.map((r) => `${r.run.name}: ${r.error}`));
  const count = (...s: Status[]) => rows.filter((r) => s.includes(r.status)).length;
  lines.push(
    '',
    `${count('completed', 'stopped')} finished now, ${count('skipped')} already done, ${count('failed')} failed, ${count('blocked')} blocked` +
      (count('busy') ? `, ${count('busy')} busy elsewhere` : '') +
      (count('interrupted', 'not started') ? `, ${count('interrupted', 'not started')} to resume` : ''),
    '',
  );
  return lines.join('\n');
}
