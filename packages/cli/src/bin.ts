#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError, GrokscopeError } from '@grokscope/core';
import { analyzeCommand } from './analyzeCommand';
import { forecastCommand } from './forecastCommand';
import { sweepCommand } from './sweepCommand';
import { EXIT, trainCommand } from './trainCommand';
import type { ProgressMode } from './progressReporter';

const collect = (value: string, previous: string[]) => [...previous, value];
const int = (field: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(field, `must be a positive integer, got "${v}"`);
  return n;
};

function modeOf(o: { json?: boolean; quiet?: boolean }): ProgressMode {
  if (o.json) return 'json';
  if (o.quiet) return 'quiet';
  return process.stdout.isTTY ? 'tty' : 'plain';
}

export function program(): Command {
  const cmd = new Command('grokscope').description('Study grokking and the spectral-entropy collapse that announces it.').showHelpAfterError();
  cmd
    .command('train')
    .description('train one run (resumes an unfinished run in --out)')
    .option('--preset <name>', 'paper | quick | s5 | mlp')
    .option('--config <file>', 'a JSON or YAML config (merged over the preset)')
    .option('--set <path=value>', 'override a config field, e.g. --set model.dModel=64 (repeatable)', collect, [])
    .option('--seed <n>', 'seed for init, split and sampling', (v) => Number(v))
    .option('--out <dir>', 'run directory (default runs/<name>-<seed>)')
    .option('--steps <n>', 'step cap', int('train.steps'))
    .option('--eval-every <n>', 'evaluate every n steps', int('train.evalEvery'))
    .addOption(new Option('--backend <name>', 'tensor backend').choices(['wasm', 'cpu', 'tensorflow']))
    .option('--resume', 'resume even if the stored config differs')
    .option('--quiet', 'print only the final line')
    .option('--json', 'one JSON event per line on stdout')
    .option('--progress-every <s>', 'seconds between plain progress lines without a TTY', (v) => Number(v), 10)
    .action(async (o) => {
      process.exitCode = await trainCommand({
        preset: o.preset ?? (o.config ? undefined : 'quick'),
        file: o.config,
        set: o.set,
        overrides: { seed: o.seed, 'train.steps': o.steps, 'train.evalEvery': o.evalEvery, backend: o.backend },
        out: o.out,
        resume: o.resume,
        mode: modeOf(o),
        progressEvery: o.progressEvery,
      });
    });
  cmd
    .command('sweep <config>')
    .description('run a grid of runs in worker processes; completed runs are skipped, interrupted ones resume')
    .option('--workers <n>', 'parallel worker processes (default: number of cores)', int('--workers'))
    .option('--shard <i/n>', 'run only shard i of n (deterministic; dependent runs share a shard)')
    .addOption(new Option('--emit <scheduler>', 'write a job for a cluster instead of running').choices(['slurm', 'k8s']))
    .option('--shards <n>', 'number of shards for --emit', int('--shards'), 4)
    .option('--quiet', 'print only the summary table')
    .action(async (file, o) => {
      process.exitCode = await sweepCommand({ file, workers: o.workers, shard: o.shard, emit: o.emit, shards: o.shards, quiet: o.quiet });
    });
  cmd
    .command('analyze <dirs...>')
    .description('events, threshold, statistics and forecast for run directories (or folders of them), as tables')
    .option('--threshold <rule>', 'H̃* rule: max (default), a quantile like q0.9, or a fixed value like 0.61')
    .option('--json', 'print the analysis document as JSON')
    .action(async (dirs, o) => {
      process.exitCode = await analyzeCommand({ dirs, threshold: o.threshold, json: o.json });
    });
  cmd
    .command('report <dirs...>')
    .description('write report.md, report.json and SVG charts for run directories')
    .requiredOption('--out <dir>', 'output folder')
    .option('--threshold <rule>', 'H̃* rule: max (default), q0.9, or a fixed value')
    .action(async (dirs, o) => {
      process.exitCode = await analyzeCommand({ dirs, threshold: o.threshold, out: o.out });
    });
  cmd
    .command('forecast <run>')
    .description("forecast t_grok from a run's H̃ with a power law, live with --follow")
    .option('--follow', 'keep reading as the run trains, until it finishes')
    .option('--law <C1,gamma,C2>', 'a given law (needs --threshold)')
    .option('--threshold <h>', 'H̃* for the law', (v) => Number(v))
    .option('--fit-from <dirs...>', 'finished runs to fit the law and H̃* from')
    .action(async (run, o) => {
      process.exitCode = await forecastCommand({ run, follow: o.follow, law: o.law, threshold: o.threshold, fitFrom: o.fitFrom });
    });
  return cmd;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (err) {
    const e = err as Error;
    if (err instanceof ConfigError) {
      process.stderr.write(`config error: ${e.message}\n`);
      process.exitCode = EXIT.usage;
    } else if (err instanceof GrokscopeError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = (err as GrokscopeError).code === 'E_RUN_EXISTS' ? EXIT.usage : EXIT.failed;
    } else {
      process.stderr.write(`error: ${e.stack ?? e.message}\n`);
      process.exitCode = EXIT.failed;
    }
  }
}

if (require.main === module) void main(process.argv);
