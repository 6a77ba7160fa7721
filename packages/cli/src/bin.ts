#!/usr/bin/env node
import { Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander';
import { BACKENDS, ConfigError, GrokscopeError, PluginError } from '@grokscope/core';
import { MAX_WASM_THREADS } from '@grokscope/core/internal';
import { describeFileSystemError, isFileSystemError } from './fileSystemError';
import { PRESET_NOTES, PRESETS } from './presets';
import type { ProgressMode } from './progressReporter';
import { jsonEvent } from './jsonEvent';
import { markStdoutClosed, stdoutClosed } from './stdoutGuard';
import type { ForecastCommandOptions } from './forecastCommand';
import type { ReproduceOptions } from './reproduceCommand';
import type { SweepOptions } from './sweepCommand';
import { EXIT, quote } from './trainCommand';

// Each command loads its own module when it runs: `train` pays for the analysis package
// (and its chart libraries) only once its run has ended, to draw run.svg; `analyze` never
// for the tensor backends' plugins.

const collect = (value: string, previous: string[]) => [...previous, value];
const integer = (min: number) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min)
    throw new InvalidArgumentError(`got "${v}"; expected an integer ≥ ${min}.`);
  return n;
};
const positive = (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !(n > 0)) throw new InvalidArgumentError(`got "${v}"; expected a number > 0.`);
  return n;
};

/**
 * `--shard i/n`, checked as the command line is read, so `5/3` is a usage error (exit 2, kind
 * usage) before the sweep file is read, like any other bad option value. The text goes on as given.
 */
const shard = (v: string): string => {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`got "${v}"; expected i/n, e.g. 0/4 (shard 0 of 4, 0-based).`);
  const [i, n] = [Number(m[1]), Number(m[2])];
  const fix = `shards are numbered 0 to n-1, so i must be below n ≥ 1, e.g. 0/${Math.max(n, 1)}`;
  if (n < 1 || i >= n) throw new InvalidArgumentError(`got "${v}"; ${fix}.`);
  return v;
};

/** `--threads`: `auto` (one per core) or 1..MAX_WASM_THREADS; results do not depend on it (docs/throughput.md). */
const threads = (v: string): number | 'auto' => {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new InvalidArgumentError(`got "${v}"; expected "auto" or a whole number from 1 to ${MAX_WASM_THREADS}.`);
  }
  return n;
};
/** `--workers` of `train`: `auto` (every core, the default) or a whole number ≥ 1; results do not depend on it. */
const workerCount = (v: string): number | 'auto' => {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`got "${v}"; expected "auto" or a whole number ≥ 1.`);
  return n;
};
const THREADS_HELP =
  'wasm backend threads: 1 (default, or $GROKSCOPE_THREADS), 2–4, or auto (one per core); results are bitwise the same';

function modeOf(o: { json?: boolean; quiet?: boolean }): ProgressMode {
  if (o.json) return 'json';
  if (o.quiet) return 'quiet';
  return process.stdout.isTTY ? 'tty' : 'plain';
}

/** The presets as `train --help` lists them: name, then its note (presets.ts), wrapped under it. */
function presetsHelp(): string {
  const wrap = (text: string, width: number) =>
    text.split(' ').reduce<string[]>((lines, word) => {
      const last = lines[lines.length - 1];
      if (last !== undefined && last.length + word.length + 1 <= width) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
      return lines;
    }, []);
  return Object.keys(PRESETS)
    .map((name) =>
      wrap(PRESET_NOTES[name] ?? '', 72)
        .map((line, i) => `  ${i === 0 ? name.padEnd(6) : ' '.repeat(6)} ${line}`)
        .join('\n'),
    )
    .join('\n');
}

const TRAIN_EXAMPLES = () => `
Examples:
  grokscope train --preset quick --seed 0 --out runs/quick-0
  grokscope train --config my.yaml --set model.dModel=64 --set 'model.hidden=[256,256]'
  grokscope train --preset paper --steps 20000 --json > events.jsonl
  grokscope train --out runs/quick-0 --resume          # continue a run with its stored config

Configs merge in this order: --preset (default quick), --config FILE, --set, then --seed,
--steps, --eval-every, --backend. Running the same command again resumes an unfinished run.

Presets (docs/science.md § Presets):
${presetsHelp()}

At the end, on a terminal: a chart of H̃ and test accuracy, and the run's story (memorised
at, H̃ there and its minimum, the step H̃ crossed thresholds.entropy (the paper's H̃*
unless the config sets one), grokked at, and the lead). Piped, --quiet or --json print
neither (the JSON done event carries the numbers). Every ended run writes run.svg, its
picture, into the run directory.`;

/** `grokscope --help` lists commands in the order a newcomer uses them; others follow. */
const NEWCOMER_ORDER = ['train', 'report', 'analyze', 'forecast', 'sweep', 'reproduce', 'dashboard', 'lab', 'export'];
const ONE_LINE_EXAMPLE: Readonly<Record<string, string>> = {
  train: 'grokscope train --preset quick --seed 0 --out runs/quick-0',
  report: 'grokscope report runs/quick-0 --out report/quick-0',
  analyze: 'grokscope analyze runs/quick-0',
  forecast: 'grokscope forecast runs/quick-0 --law 4885,0.485,-63.5 --threshold 0.594',
  sweep: 'grokscope sweep sweeps/quick-study.yaml',
  reproduce: 'grokscope reproduce --scale quick --seeds 3',
  dashboard: 'grokscope dashboard runs --open',
  lab: 'grokscope lab --open',
  export: 'grokscope export runs/quick-study --format tensorboard --out tb',
};
const rank = (c: Command) => {
  const i = NEWCOMER_ORDER.indexOf(c.name());
  return i < 0 ? NEWCOMER_ORDER.length + (c.name() === 'help' ? 1 : 0) : i;
};
const TOP_HELP = `
Start here: grokscope train (the quick preset, about 2 minutes) ends with the
run's story and writes run.svg, its picture, into the run directory.`;

const SWEEP_EXAMPLES = `
A sweep file (JSON or YAML):
  base: quick                      # a preset, a config file, or a config object
  out: ../runs/study               # relative to the sweep file
  grid: { seed: [0, 1, 2], condition: [baseline, entropy-floor, norm-matched] }
  conditions:
    entropy-floor: { interventions: [{ name: entropy-floor, options: { floor: 0.8 } }] }
    norm-matched:  { interventions: [{ name: norm-matched, options: { reference: "{run:entropy-floor}" } }] }

Examples:
  grokscope sweep study.yaml --workers 2
  grokscope sweep study.yaml --shard 0/4            # this machine's quarter
  grokscope sweep study.yaml --emit slurm --shards 8 && bash study.slurm.sh   # submits the shards and the report
  grokscope sweep study.yaml --emit k8s --image registry.example.org/grokscope:0.1.0
  grokscope sweep study.yaml --json | jq -c 'select(.event == "run")'`;

const JOB_COMMAND_HELP =
  'with --emit: the command that starts grokscope in the job, e.g. "node /shared/grokscope/packages/cli/dist/bin.js" or "npx --yes @grokscope/cli@0.1.0" (default: slurm, this installation; k8s, grokscope in the image)';
const JOB_NAME_HELP =
  'with --emit: the job name (default grokscope-<sweep or study name>; the Slurm report job adds -report)';
const JOB_TIME_HELP =
  'with --emit slurm: time limit of each array task, e.g. 12:00:00 or 2-00:00:00 (default 24:00:00)';
const JOB_CPUS_HELP =
  'with --emit: CPUs per shard, one worker each (default: the most runs of a shard that can train at once)';
const JOB_MEM_HELP = "with --emit: memory per shard, e.g. 4G (default: from the runs' memory estimate, per worker)";
const JOB_IMAGE_HELP =
  'with --emit k8s: the container image (default grokscope:VERSION, built from the repository Dockerfile; docs/cluster.md)';

/**
 * The `grokscope` program: the top-level help and one function per command, each adding its
 * options and an action that loads the command's module and hands it the parsed options.
 */
export function program(): Command {
  const cmd = new Command('grokscope')
    .description('Study grokking and the spectral-entropy collapse that announces it.')
    .version((require('../package.json') as { version: string }).version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureHelp({
      visibleCommands(this: Help, c: Command) {
        return Help.prototype.visibleCommands.call(this, c).sort((a, b) => rank(a) - rank(b));
      },
      // The description wrapped as commander would, then the example on a line of its own.
      subcommandDescription(this: Help, c: Command) {
        const text = Help.prototype.subcommandDescription.call(this, c);
        const example = c.parent && !c.parent.parent ? ONE_LINE_EXAMPLE[c.name()] : undefined;
        if (!example) return text;
        const column = this.longestSubcommandTermLength(c.parent!, this) + 2;
        const width = (this.helpWidth ?? 80) - column - 2;
        const wrapped = this.boxWrap(text, width).replace(/\n/g, '\n' + ' '.repeat(column));
        return `${wrapped}\n  $ ${example}`;
      },
    })
    .addHelpText('after', TOP_HELP);
  for (const add of [trainCommandLine, sweepCommandLine, analyzeCommandLine, reportCommandLine, exportCommandLine])
    add(cmd);
  for (const add of [forecastCommandLine, reproduceCommandLine, dashboardCommandLine, labCommandLine]) add(cmd);
  return cmd;
}

/** The command as typed, recorded where a run or a report tells how to make it again. */
const typedCommandLine = () => ['grokscope', ...process.argv.slice(2)].map(quote).join(' ');

function trainCommandLine(cmd: Command): void {
  cmd
    .command('train')
    .description('train one run; the same command again resumes it if unfinished')
    .option('--preset <name>', `a preset config: ${Object.keys(PRESETS).join(' | ')} (default quick)`)
    .option('--config <file>', 'a JSON or YAML config, merged over the preset')
    .option(
      '--set <path=value>',
      'override a config field, e.g. model.dModel=64 (repeatable; values parse as JSON)',
      collect,
      [],
    )
    .option('--seed <n>', 'seed for initialisation, split and sampling', integer(0))
    .option('--out <dir>', 'run directory (default runs/<name>-<seed>)')
    .option('--steps <n>', 'step cap (train.steps)', integer(1))
    .option('--eval-every <n>', 'evaluate every n steps (train.evalEvery)', integer(1))
    .addOption(new Option('--backend <name>', 'tensor backend').choices(BACKENDS))
    .option('--threads <n>', THREADS_HELP, threads)
    .option(
      '--workers <n>',
      "threads computing a sharded run's shards (train.shards): auto (default, or $GROKSCOPE_WORKERS: one per core) " +
        'or a whole number; results are bitwise the same',
      workerCount,
    )
    .option(
      '--resume',
      'continue the run in --out (an error if there is none); without --preset/--config, use its stored config',
    )
    .option('--quiet', 'print only the final line')
    .option('--json', 'print one JSON event per line on stdout (step, evaluation, checkpoint, log, done)')
    .option('--progress-every <s>', 'seconds between progress lines when stdout is not a terminal', positive, 10)
    .addHelpText('after', TRAIN_EXAMPLES())
    .action(async (o) => {
      const { trainCommand } = await import('./trainCommand');
      const { seed, steps, evalEvery, backend, config: file, ...rest } = o as TrainLine;
      const overrides = { seed, 'train.steps': steps, 'train.evalEvery': evalEvery, backend };
      process.exitCode = await trainCommand({
        ...rest,
        file,
        overrides,
        mode: modeOf(o),
        commandLine: typedCommandLine(),
      });
    });
}

/** `train`'s options as commander parses them. */
interface TrainLine {
  readonly preset?: string;
  readonly config?: string;
  readonly set: string[];
  readonly seed?: number;
  readonly out?: string;
  readonly steps?: number;
  readonly evalEvery?: number;
  readonly backend?: string;
  readonly threads?: number | 'auto';
  readonly workers?: number | 'auto';
  readonly resume?: boolean;
  readonly progressEvery: number;
}

/** The options `sweep` and `reproduce` share: how runs are spread over workers and shards, and cluster jobs. */
function runnerOptions(c: Command, shardHelp: string): Command {
  return c
    .option('--workers <n>', 'parallel worker processes (default: the number of cores)', integer(1))
    .option('--threads <n>', `${THREADS_HELP}; each worker gets this many`, threads)
    .option('--shard <i/n>', shardHelp, shard)
    .addOption(
      new Option('--emit <scheduler>', 'write a cluster job that runs the shards instead of running').choices([
        'slurm',
        'k8s',
      ]),
    )
    .option('--shards <n>', 'number of shards for --emit', integer(1), 4)
    .option('--command <cmd>', JOB_COMMAND_HELP)
    .option('--image <ref>', JOB_IMAGE_HELP)
    .option('--job-name <name>', JOB_NAME_HELP)
    .option('--time <limit>', JOB_TIME_HELP)
    .option('--cpus-per-task <n>', JOB_CPUS_HELP, integer(1))
    .option('--mem <size>', JOB_MEM_HELP)
    .option(
      '--storage-class <name>',
      'with --emit k8s: the StorageClass of the results volume (default: the cluster default)',
    );
}

function sweepCommandLine(cmd: Command): void {
  const c = cmd
    .command('sweep <file>')
    .description('run a grid of runs in worker processes; finished runs are skipped, unfinished ones resume')
    .option('--out <dir>', "results folder (replaces the sweep file's out)");
  runnerOptions(c, 'run only shard i of n (0-based); runs that reference each other share a shard')
    .option('--quiet', 'print only the summary table')
    .option('--json', 'print one JSON event per line on stdout (start, run, progress, done; error)')
    .addHelpText('after', SWEEP_EXAMPLES)
    .action(async (file: string, o: Omit<SweepOptions, 'file'>) => {
      const { sweepCommand } = await import('./sweepCommand');
      process.exitCode = await sweepCommand({ ...o, file });
    });
}

function analyzeCommandLine(cmd: Command): void {
  cmd
    .command('analyze <dirs...>')
    .description('events, threshold H̃*, statistics and forecast for run directories (or folders of them), as tables')
    .option('--threshold <rule>', THRESHOLD_HELP)
    .option('--json', 'print the analysis document as JSON')
    .addHelpText('after', '\nExample:\n  grokscope analyze runs/quick-study')
    .action(async (dirs: string[], o: { threshold?: string; json?: boolean }) => {
      const { analyzeCommand } = await import('./analyzeCommand');
      process.exitCode = await analyzeCommand({ ...o, dirs });
    });
}

function reportCommandLine(cmd: Command): void {
  cmd
    .command('report <dirs...>')
    .description('write report.md, report.json and SVG charts for run directories (or folders of them)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--threshold <rule>', THRESHOLD_HELP)
    .addHelpText('after', '\nExample:\n  grokscope report runs/quick-study --out report/quick-study')
    .action(async (dirs: string[], o: { threshold?: string; out: string }) => {
      const { analyzeCommand } = await import('./analyzeCommand');
      process.exitCode = await analyzeCommand({ ...o, dirs });
    });
}

function exportCommandLine(cmd: Command): void {
  const format = new Option(
    '--format <format>',
    'csv: one table per run; tensorboard: one event file per run (tensorboard --logdir OUT)',
  )
    .choices(['csv', 'tensorboard'])
    .makeOptionMandatory();
  cmd
    .command('export <dirs...>')
    .description("write runs' metrics for other tools: CSV tables, or TensorBoard event files")
    .addOption(format)
    .requiredOption('--out <dir>', 'output folder (one file or folder per run, named like the run)')
    .option('--json', 'print one JSON event per exported run (and an error event on failure)')
    .addHelpText(
      'after',
      '\nExamples:\n  grokscope export runs/quick-study --format csv --out export/quick-study\n' +
        '  grokscope export runs/quick-0 runs/quick-1 --format tensorboard --out tb && tensorboard --logdir tb',
    )
    .action(async (dirs: string[], o: { format: 'csv' | 'tensorboard'; out: string; json?: boolean }) => {
      const { exportCommand } = await import('./exportCommand');
      process.exitCode = await exportCommand({ ...o, dirs });
    });
}

function forecastCommandLine(cmd: Command): void {
  cmd
    .command('forecast <run>')
    .description("forecast t_grok from a run's H̃ with the power law ΔT = C1·(H̃ − H̃*)^γ + C2")
    .option('--follow', 'keep reading the run as it trains, until it finishes')
    .option('--wait', 'with --follow: keep waiting while no process trains the run (default: stop and say so)')
    .option('--law <C1,gamma,C2>', 'a given law (needs --threshold)')
    .option('--threshold <h>', 'H̃* for the law (with --fit-from: fix it instead of estimating)', positive)
    .option('--fit-from <dirs...>', 'finished runs to fit the law and H̃* from (same condition as RUN when present)')
    .option('--json', 'one JSON object per line')
    .addHelpText(
      'after',
      '\nExamples:\n  grokscope forecast runs/quick-3 --follow --fit-from runs/quick-study\n' +
        '  grokscope forecast runs/quick-3 --law 5000,0.5,-60 --threshold 0.59',
    )
    .action(async (run: string, o: Omit<ForecastCommandOptions, 'run'>) => {
      const { forecastCommand } = await import('./forecastCommand');
      process.exitCode = await forecastCommand({ ...o, run });
    });
}

function reproduceCommandLine(cmd: Command): void {
  const c = cmd
    .command('reproduce')
    .description(
      "run the paper's study claim by claim (a sweep of conditions × seeds) and write a report with a verdict per claim",
    )
    .option(
      '--scale <name>',
      'a study shipped with grokscope: quick (laptop) | paper (hours to days; shard it)',
      'quick',
    )
    .option('--study <file>', 'a study file of your own instead (docs/reproduce.md)')
    .option('--seeds <n>', "seeds 0..n-1 instead of the study's list", integer(1))
    .option('--out <dir>', 'the study folder: runs, logs and report/ (default runs/study-<name>)');
  runnerOptions(c, 'run only shard i of n; then run again without --shard for the report')
    .option('--quiet', 'print only the claims table')
    .addHelpText(
      'after',
      '\nExamples:\n  grokscope reproduce --scale quick --seeds 3\n' +
        '  grokscope reproduce --scale paper --emit slurm --shards 16   # then: bash runs/study-paper/study.sweep.slurm.sh\n\n' +
        'Re-running the same command resumes: finished runs are skipped, interrupted ones continue.',
    )
    .action(async (o: Omit<ReproduceOptions, 'commandLine'>) => {
      const { reproduceCommand } = await import('./reproduceCommand');
      process.exitCode = await reproduceCommand({ ...o, commandLine: typedCommandLine() });
    });
}

function dashboardCommandLine(cmd: Command): void {
  cmd
    .command('dashboard [dirs...]')
    .description('watch runs, sweeps and studies live in a browser: a local, read-only page (default folder: runs)')
    .option('--port <n>', 'port to serve on (0: any free one)', integer(0), 4177)
    .option(
      '--host <h>',
      'address to bind (default 127.0.0.1: this machine only; another host is reachable from the network)',
    )
    .option('--open', 'open the page in the default browser')
    .addHelpText(
      'after',
      '\nExamples:\n  grokscope dashboard runs --open\n  grokscope dashboard runs/study-quick --port 8080\n\nSee docs/dashboard.md.',
    )
    .action(async (dirs: string[], o: { port: number; host?: string; open?: boolean }) => {
      const { dashboardCommand } = await import('./dashboardCommand');
      process.exitCode = await dashboardCommand({ ...o, dirs });
    });
}

function labCommandLine(cmd: Command): void {
  cmd
    .command('lab')
    .description('train a network and watch it grok in a browser page: serves the lab on this machine only')
    .option('--port <n>', 'port to serve on (0: any free one)', integer(0), 4178)
    .option('--open', 'open the page in the default browser')
    .addHelpText(
      'after',
      '\nThe page is static: `npm run build` also writes it to packages/lab/dist/site for any static host.\n\nExamples:\n  grokscope lab --open\n  grokscope lab --port 8081\n\nSee docs/lab.md.',
    )
    .action(async (o: { port: number; open?: boolean }) => {
      const { labCommand } = await import('./labCommand');
      process.exitCode = await labCommand(o);
    });
}

const THRESHOLD_HELP = 'H̃* rule: max (default), a quantile like q0.9, or a fixed value like 0.61';

/** Runs the command line; maps errors to exit codes (docs/reliability.md § Exit statuses): 2 usage or config, 1 run failure, 75 run locked by another process, 130 interrupted. */
export async function main(argv: string[]): Promise<void> {
  // `grokscope … | head` closes stdout early. A command with work in flight (train) has
  // subscribed to stop it cleanly, checkpointed, exiting 130; anything else stops quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    if (!markStdoutClosed()) process.exit(process.exitCode ?? 0);
  });
  try {
    await program().parseAsync(argv);
  } catch (err) {
    // With --json, every outcome is a JSON event on stdout, errors included (docs/scripting.md);
    // the message still goes to stderr for a person watching.
    const json = jsonRequested(argv) && !stdoutClosed();
    process.exitCode = report(err, json ? (e) => process.stdout.write(jsonEvent('error', e) + '\n') : undefined);
  }
}

/** `--json` among the options (not after a `--`, which would make it an argument). */
function jsonRequested(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).includes('--json');
}

/** The `error` event of a --json command: what kind of error, the message as stderr shows it, and the exit status. */
interface ErrorEvent {
  readonly kind: 'usage' | 'config' | 'locked' | 'file system' | 'run' | 'internal';
  readonly message: string;
  /** The error's code (`E_CONFIG`, `E_RUN_EXISTS`, …) when it has one. */
  readonly code?: string;
  /** The config field or option at fault (config errors). */
  readonly field?: string;
  readonly exitCode: number;
}

function report(err: unknown, emit?: (e: ErrorEvent) => void): number {
  const errorCode =
    err instanceof PluginError && err.cause instanceof GrokscopeError
      ? err.cause.code
      : err instanceof GrokscopeError
        ? err.code
        : undefined;
  const fail = (prefix: string, message: string, code: number, kind: ErrorEvent['kind'], field?: string) => {
    process.stderr.write(`${prefix}${message}\n`);
    emit?.({
      kind,
      message,
      ...(errorCode !== undefined ? { code: errorCode } : {}),
      ...(field !== undefined ? { field } : {}),
      exitCode: code,
    });
    return code;
  };
  if (err instanceof CommanderError) {
    // commander printed the message already; help and --version are not errors
    if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version')
      return EXIT.ok;
    emit?.({ kind: 'usage', message: err.message.replace(/^error: /, ''), exitCode: EXIT.usage });
    return EXIT.usage;
  }
  if (err instanceof ConfigError) return fail('config error: ', err.message, EXIT.usage, 'config', err.field);
  // A plugin that rejects its options (in its setup hook) is a config error too.
  if (err instanceof PluginError && err.cause instanceof ConfigError)
    return fail(
      'config error: ',
      `${err.cause.message} (plugin "${err.plugin}")`,
      EXIT.usage,
      'config',
      err.cause.field,
    );
  if (err instanceof GrokscopeError && err.code === 'E_RUN_LOCKED')
    return fail('error: ', err.message, EXIT.locked, 'locked'); // another live process trains the run: try later
  if (err instanceof GrokscopeError && err.code === 'E_FS')
    return fail('file system error: ', err.message, EXIT.usage, 'file system'); // checkOutputDir
  if (err instanceof GrokscopeError) {
    // Nothing was started and the fix is the user's: another run, damaged run files or another trainer's run in --out, a checkpoint of another config.
    const usage = [
      'E_RUN_EXISTS',
      'E_NO_RUN',
      'E_BACKEND',
      'E_RUN_DAMAGED',
      'E_FOREIGN_RUN',
      'E_CHECKPOINT_MISMATCH',
    ].includes(err.code);
    return fail('error: ', err.message, usage ? EXIT.usage : EXIT.failed, usage ? 'usage' : 'run');
  }
  // analysis's reader error (by name: analysis is loaded only by the commands that use it)
  if (err instanceof Error && err.name === 'RunReadError') return fail('error: ', err.message, EXIT.usage, 'usage');
  // A path that is a file, a read-only disk, no permission: the user's setup, not a bug — one line, no stack.
  if (isFileSystemError(err))
    return fail('file system error: ', describeFileSystemError(err), EXIT.usage, 'file system');
  const e = err instanceof Error ? err : new Error(String(err));
  return fail('error: ', e.stack ?? e.message, EXIT.failed, 'internal');
}

if (require.main === module) void main(process.argv);
