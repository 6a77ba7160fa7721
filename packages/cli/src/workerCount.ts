import * as os from 'node:os';
import { ConfigError } from '@grokscope/core';

/**
 * Threads computing one run's shards (`--workers`, GROKSCOPE_WORKERS): a number, or `auto` for
 * every core this process may use, the default. Results do not depend on it: the shard count
 * (`train.shards`) decides the numbers, the workers only who computes which shard
 * (docs/throughput.md § Every core on one run).
 */
export function resolveWorkers(
  requested?: number | 'auto',
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const value: unknown = requested ?? env.GROKSCOPE_WORKERS ?? 'auto';
  const field = requested === undefined && env.GROKSCOPE_WORKERS !== undefined ? 'GROKSCOPE_WORKERS' : 'workers';
  if (value === 'auto') return os.availableParallelism();
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(
      field,
      `got ${JSON.stringify(value)}; give a whole number ≥ 1, or "auto" (one per core, now ${os.availableParallelism()})`,
    );
  return n;
}
