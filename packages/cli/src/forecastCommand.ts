import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeForecast, findRunDirs, forecastAt, readRun } from '@grokscope/analysis';
import { ConfigError } from '@grokscope/core';

export interface ForecastCommandOptions {
  readonly run: string;
  /** "C1,gamma,C2" */
  readonly law?: string;
  readonly threshold?: number;
  /** Runs to fit the law and H̃* from. */
  readonly fitFrom?: readonly string[];
  readonly follow?: boolean;
  readonly pollMs?: number;
}

/**
 * Prints t̂_grok = t + C1·(H̃(t) − H̃*)^γ + C2 for each evaluation of a run; with --follow,
 * keeps reading metrics.jsonl as the run trains and stops when summary.json appears.
 */
export async function forecastCommand(o: ForecastCommandOptions): Promise<number> {
  const { law, threshold } = resolveLaw(o);
  process.stdout.write(`law: ΔT = ${law.C1.toFixed(1)}·(H̃ − ${threshold.toFixed(4)})^${law.gamma.toFixed(3)} + ${law.C2.toFixed(1)}\n`);
  let seen = 0;
  for (;;) {
    const run = readRun(o.run);
    for (const r of run.records.slice(seen)) {
      const h = r.metrics['entropy/Hn'];
      if (h === undefined) continue;
      const t = forecastAt(r.step, h, threshold, law);
      process.stdout.write(`step ${r.step}  H̃ ${h.toFixed(4)}  ${t === null ? 'below H̃*: the law gives no forecast' : `predicted t_grok ≈ ${Math.round(t)}`}${(r.metrics['accuracy/test'] ?? 0) >= 0.95 ? '  (grokked)' : ''}\n`);
    }
    seen = run.records.length;
    if (!o.follow || fs.existsSync(path.join(o.run, 'summary.json'))) return 0;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
  }
}

function resolveLaw(o: ForecastCommandOptions): { law: { C1: number; gamma: number; C2: number }; threshold: number } {
  if (o.law) {
    const parts = o.law.split(',').map(Number);
    if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x))) throw new ConfigError('--law', `"${o.law}" is not C1,gamma,C2 (three numbers)`);
    if (o.threshold === undefined) throw new ConfigError('--threshold', 'a given --law needs the H̃* it was fitted with');
    return { law: { C1: parts[0]!, gamma: parts[1]!, C2: parts[2]! }, threshold: o.threshold };
  }
  if (!o.fitFrom?.length) throw new ConfigError('--fit-from', 'give --law C1,gamma,C2 --threshold H, or --fit-from DIR... (finished runs to fit the law from)');
  const runs = findRunDirs(o.fitFrom).map(readRun);
  const f = analyzeForecast(runs, {}, o.threshold);
  if (!f.fit || f.threshold === null) throw new ConfigError('--fit-from', `the runs under ${o.fitFrom.join(', ')} give no fit (need grokked runs with entropy/Hn records)`);
  return { law: f.fit, threshold: f.threshold };
}
