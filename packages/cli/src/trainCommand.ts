import * as path from 'node:path';
import { GrokscopeError, RunStore, useBackend } from '@grokscope/core';
import type { RunConfig } from './configSchema';
import { buildTrainer } from './buildTrainer';
import { type ConfigSources, loadConfig } from './loadConfig';
import { type ProgressMode, reportProgress } from './progressReporter';

export interface TrainOptions extends ConfigSources {
  readonly out?: string;
  readonly resume?: boolean;
  readonly mode: ProgressMode;
  readonly progressEvery?: number;
}

export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, interrupted: 130 });

/**
 * `grokscope train`: runs one config into one directory. Running the same command again on an
 * unfinished run resumes it; a finished run is reported, not retrained.
 */
export async function trainCommand(opts: TrainOptions): Promise<number> {
  const config = loadConfig(opts);
  const out = path.resolve(opts.out ?? path.join('runs', `${config.name ?? 'run'}-${config.seed}`));
  const resume = decideResume(out, config, opts.resume === true);
  await useBackend(config.backend);
  const trainer = buildTrainer(config, out, { resume });
  reportProgress(trainer, opts.mode, process.stdout, opts.progressEvery);
  const say = (text: string) => {
    if (opts.mode !== 'json') process.stdout.write(text + '\n');
  };
  if (resume) say(`resuming ${out}`);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(EXIT.interrupted); // a second Ctrl-C: the last checkpoint still stands
    process.stderr.write(`\n${signal}: finishing this step and writing a checkpoint… (again to quit now)\n`);
    trainer.interrupt(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const end = await trainer.run();
    const ev = `memorised ${end.events.memorised ?? '–'}, grokked ${end.events.grokked ?? '–'}`;
    if (end.status === 'interrupted') {
      say(`interrupted at step ${end.step}; checkpoint written in ${out}\nresume with the same command (or add --resume)`);
      return EXIT.interrupted;
    }
    say(`${end.status} at step ${end.step} (${ev})\nrun written to ${out}`);
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    trainer.model.dispose();
    trainer.dispose();
  }
}

/** Resume when the directory holds this config's run (steps may differ); refuse another config. */
export function decideResume(out: string, config: RunConfig, forced: boolean): boolean {
  const store = new RunStore(out);
  if (!store.exists()) return false;
  const previous = store.readManifest().config as RunConfig | null;
  const differences = diffConfigs(previous, config);
  if (differences.length > 0 && !forced) {
    throw new GrokscopeError(
      'E_RUN_EXISTS',
      `${out} holds a run of a different config (${differences.slice(0, 5).join('; ')}); choose another --out, or delete that directory`,
    );
  }
  return true;
}

function diffConfigs(a: unknown, b: unknown, prefix = ''): string[] {
  if (prefix === 'train.steps') return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${prefix || '(root)'}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => diffConfigs((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
}
