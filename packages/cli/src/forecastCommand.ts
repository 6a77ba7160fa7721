import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeForecast, findRunDirs, forecastAt, formatPowerLaw, readRun, type RunData } from '@grokscope/analysis';
import { ConfigError, DEFAULT_THRESHOLDS, METRIC_TAGS } from '@grokscope/core';
import { jsonEvent } from './jsonEvent';
import { EXIT } from './trainCommand';
import { describeHolder, type LockHolder, lockHolder } from './runLock';

export interface ForecastCommandOptions {
  readonly run: string;
  /** "C1,gamma,C2" */
  readonly law?: string;
  /** H̃* (with --law: the one it was fitted with; with --fit-from: fixes it instead of estimating). */
  readonly threshold?: number;
  /** Finished runs to fit the law and H̃* from (run folders or folders of them). */
  readonly fitFrom?: readonly string[];
  /** Keep reading metrics.jsonl as the run trains; stop when summary.json appears. */
  readonly follow?: boolean;
  /** With `follow`: keep waiting while no process trains the run (by default that ends the follow). */
  readonly wait?: boolean;
  readonly json?: boolean;
  readonly pollMs?: number;
}

type Law = { C1: number; gamma: number; C2: number };

/**
 * Prints t̂_grok = t + C1·(H̃(t) − H̃*)^γ + C2 for each evaluation of a run (docs/science.md § Forecast);
 * with --follow, keeps polling metrics.jsonl as the run trains and stops when summary.json
 * appears. The law is given (--law, --threshold) or fitted from finished runs (--fit-from): of
 * the same condition as this run when there are such runs, never including this run.
 * A followed run that no live process trains (nobody holds its lock) and that has no summary
 * will never finish on its own: that ends the follow with a message and exit 1, unless --wait.
 */
export async function forecastCommand(o: ForecastCommandOptions): Promise<number> {
  const out = (line: string, event: string, data: object) =>
    process.stdout.write((o.json ? jsonEvent(event, data) : line) + '\n');
  const manifest = path.join(o.run, 'manifest.json');
  if (!fs.existsSync(manifest)) {
    if (!o.follow) throw new ConfigError('RUN', `${path.resolve(o.run)} is not a run directory (no manifest.json)`);
    if (o.json) out('', 'waiting', { dir: path.resolve(o.run) });
    else process.stderr.write(`waiting for ${path.resolve(o.run)} to start…\n`);
    while (!fs.existsSync(manifest)) await sleep(o.pollMs ?? 1000);
  }
  const first = readRun(o.run);
  const { law, threshold, from } = resolveLaw(o, first);
  const config = (first.manifest.config ?? {}) as { thresholds?: { grokked?: number } };
  const grokAt = Number(config.thresholds?.grokked ?? DEFAULT_THRESHOLDS.grokked);
  out(`law: ${formatPowerLaw(law, threshold, { gamma: 3, threshold: 4 })}  (${from})`, 'law', {
    ...law,
    threshold,
    from,
  });
  let seen = 0;
  let grokked: number | null = null;
  let trainedBy: LockHolder | null = null;
  for (let round = 0; ; round++) {
    const finished = fs.existsSync(path.join(o.run, 'summary.json')); // checked before reading, so no record is missed
    const run = round === 0 && !finished ? first : readRun(o.run);
    for (const r of run.records.slice(seen)) {
      const h = r.metrics[METRIC_TAGS.entropyHn];
      if (grokked === null && (r.metrics[METRIC_TAGS.accuracyTest] ?? 0) >= grokAt) grokked = r.step;
      if (h === undefined) continue;
      const t = forecastAt(r.step, h, threshold, law);
      const state = grokked !== null ? `  (grokked at ${grokked})` : '';
      const text =
        t === null
          ? `H̃ ≤ H̃*: past the threshold, no forecast`
          : `predicted t_grok ≈ ${Math.round(t)} (in ${Math.max(0, Math.round(t - r.step))} steps)`;
      out(`step ${r.step}  H̃ ${h.toFixed(4)}  ${text}${state}`, 'forecast', { step: r.step, h, predicted: t, grokked });
    }
    seen = run.records.length;
    if (!o.follow || finished) return 0;
    const holder = lockHolder(o.run);
    if (holder === null && !o.wait) {
      // The trainer writes summary.json before it releases the lock: read once more if it just finished.
      if (fs.existsSync(path.join(o.run, 'summary.json'))) continue;
      const why = idleMessage(o.run, trainedBy);
      process.stderr.write(why + '\n');
      if (o.json) out('', 'stopped', { reason: why, exitCode: EXIT.failed }); // every outcome of --json is an event
      return EXIT.failed;
    }
    trainedBy = holder ?? trainedBy;
    await sleep(o.pollMs ?? 1000);
  }
}

function resolveLaw(o: ForecastCommandOptions, target: RunData): { law: Law; threshold: number; from: string } {
  if (o.threshold !== undefined && !(o.threshold > 0 && o.threshold < 1))
    throw new ConfigError('--threshold', `got ${o.threshold}; expected H̃* in (0, 1)`);
  if (o.law) {
    const parts = o.law.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
    if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
      throw new ConfigError('--law', `"${o.law}" is not C1,gamma,C2 (three numbers, e.g. 3000,1.65,200)`);
    if (o.threshold === undefined)
      throw new ConfigError('--threshold', 'missing: a given --law needs the H̃* it was fitted with');
    return { law: { C1: parts[0]!, gamma: parts[1]!, C2: parts[2]! }, threshold: o.threshold, from: 'given' };
  }
  if (!o.fitFrom?.length)
    throw new ConfigError(
      '--fit-from',
      'missing: give --law C1,gamma,C2 --threshold H, or --fit-from DIR... (finished runs to fit the law from)',
    );
  const self = path.resolve(target.dir);
  const dirs = findRunDirs(o.fitFrom).filter((d) => path.resolve(d) !== self);
  if (dirs.length === 0)
    throw new ConfigError(
      '--fit-from',
      `no run directories (with manifest.json) under ${o.fitFrom.join(', ')} besides the run itself`,
    );
  const runs = dirs.map(readRun);
  const same = runs.filter((r) => r.condition === target.condition);
  const pool = same.length > 0 ? same : runs;
  const f = analyzeForecast(pool, {}, o.threshold);
  if (!f.fit || f.threshold === null) {
    throw new ConfigError(
      '--fit-from',
      `the ${pool.length} run(s) under ${o.fitFrom.join(', ')} give no fit (it needs grokked runs with ${METRIC_TAGS.entropyHn} records above H̃*)`,
    );
  }
  const which = same.length > 0 ? `condition ${target.condition}` : 'all conditions';
  return {
    law: f.fit,
    threshold: f.threshold,
    from: `fitted on ${pool.length} run(s), ${which}, ${f.observations} observations, R² ${f.fit.r2.toFixed(3)}`,
  };
}

/** Why a follow ends early: the run is unfinished and nobody trains it (any more). */
function idleMessage(run: string, trainedBy: LockHolder | null): string {
  const dir = path.resolve(run);
  const what = trainedBy
    ? `the process training ${dir} (${describeHolder(trainedBy)}) went away before it finished`
    : `no process is training ${dir} and it is unfinished (no summary.json)`;
  return `stopped following: ${what}. Resume it with \`grokscope train --out ${dir} --resume\`, or add --wait to keep following until it finishes`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
