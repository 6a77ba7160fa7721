#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError, GrokscopeError } from '@grokscope/core';
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
