import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStore, writeFileAtomic } from '@grokscope/core';
import { emitScheduler } from './emitScheduler';
import { expandSweep, type PlannedRun, readSweep, shardRuns } from './expandSweep';
import { formatSeconds } from './progressReporter';

export interface SweepOptions {
  readonly file: string;
  readonly workers?: number;
  /** "i/n" */
  readonly shard?: string;
  readonly emit?: 'slurm' | 'k8s';
  readonly shards?: number;
  readonly quiet?: boolean;
}

interface Outcome {
  readonly run: PlannedRun;
  status: 'completed' | 'skipped' | 'failed' | 'blocked';
  error?: string;
  wallMs?: number;
  events?: { memorised: number | null; grokked: number | null };
}

/**
 * `grokscope sweep`: every run of the grid (or of one shard), each in its own worker process
 * running `grokscope train`, so a crash stays isolated and an interrupted run resumes from its
 * checkpoint when the sweep is started again. Completed runs are skipped.
 */
export async function sweepCommand(o: SweepOptions): Promise<number> {
  const spec = readSweep(o.file);
  const all = expandSweep(spec);
  if (o.emit) {
    const file = emitScheduler(o.emit, path.resolve(o.file), spec.out, o.shards ?? 4);
    process.stdout.write(`wrote ${file}\n`);
    return 0;
  }
  const [i, n] = (o.shard ?? '0/1').split('/').map(Number);
  const runs = shardRuns(all, i!, n!);
  const workers = Math.max(1, o.workers ?? os.cpus().length);
  const log = (s: string) => !o.quiet && process.stdout.write(s + '\n');
  log(`sweep ${spec.out}: ${runs.length} runs${o.shard ? ` (shard ${o.shard} of ${all.length})` : ''}, ${workers} workers`);
  fs.mkdirSync(path.join(spec.out, 'configs'), { recursive: true });
  const outcomes = new Map<string, Outcome>();
  const pending = [...runs];
  const running = new Set<Promise<void>>();
  const inShard = new Set(runs.map((r) => r.name));
  const doneOk = (name: string) => outcomes.get(name)?.status === 'completed' || outcomes.get(name)?.status === 'skipped' || (!inShard.has(name) && completed(all.find((r) => r.name === name)!));

  while (pending.length > 0 || running.size > 0) {
    for (let k = 0; k < pending.length && running.size < workers; ) {
      const run = pending[k]!;
      const blocked = run.dependsOn.find((d) => ['failed', 'blocked'].includes(outcomes.get(d)?.status ?? ''));
      if (blocked) {
        outcomes.set(run.name, { run, status: 'blocked', error: `depends on ${blocked}, which did not complete` });
        pending.splice(k, 1);
        continue;
      }
      if (!run.dependsOn.every(doneOk)) {
        k++;
        continue;
      }
      pending.splice(k, 1);
      if (completed(run)) {
        outcomes.set(run.name, { run, status: 'skipped', ...summaryOf(run) });
        log(`skip  ${run.name} (already completed)`);
        continue;
      }
      const p = execute(run, spec.out, log).then((o2) => {
        outcomes.set(run.name, o2);
        running.delete(p);
      });
      running.add(p);
    }
    if (running.size > 0) await Promise.race(running);
    else if (pending.length > 0 && pending.every((r) => !r.dependsOn.every(doneOk))) {
      for (const r of pending.splice(0)) outcomes.set(r.name, { run: r, status: 'blocked', error: `waits for ${r.dependsOn.filter((d) => !doneOk(d)).join(', ')}, which is not in this shard and not completed` });
    }
  }
  const rows = runs.map((r) => outcomes.get(r.name)!);
  process.stdout.write(summaryTable(rows));
  return rows.some((r) => r.status === 'failed' || r.status === 'blocked') ? 1 : 0;
}

function completed(run: PlannedRun): boolean {
  try {
    const s = new RunStore(run.dir).readSummary();
    return s?.status === 'completed' || s?.status === 'stopped';
  } catch {
    return false;
  }
}

function summaryOf(run: PlannedRun): Pick<Outcome, 'wallMs' | 'events'> {
  const s = new RunStore(run.dir).readSummary();
  return s ? { wallMs: s.wallMs, events: { memorised: s.events.memorised, grokked: s.events.grokked } } : {};
}

function execute(run: PlannedRun, out: string, log: (s: string) => void): Promise<Outcome> {
  const configFile = path.join(out, 'configs', `${run.name}.json`);
  writeFileAtomic(configFile, JSON.stringify(run.config, null, 2) + '\n');
  log(`start ${run.name}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'bin.js'), 'train', '--config', configFile, '--out', run.dir, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on('close', (code) => {
      if (code === 0 && completed(run)) {
        const s = summaryOf(run);
        log(`done  ${run.name} (grokked ${s.events?.grokked ?? '–'})`);
        resolve({ run, status: 'completed', ...s });
      } else {
        const error = stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${code}`;
        log(`FAIL  ${run.name}: ${error}`);
        resolve({ run, status: 'failed', error });
      }
    });
  });
}

function summaryTable(rows: readonly Outcome[]): string {
  const lines = ['', 'run | status | memorised | grokked | wall', '--- | --- | --- | --- | ---'];
  for (const r of rows) {
    lines.push(`${r.run.name} | ${r.status}${r.error ? ` (${r.error})` : ''} | ${r.events?.memorised ?? '–'} | ${r.events?.grokked ?? '–'} | ${r.wallMs !== undefined ? formatSeconds(r.wallMs / 1000) : '–'}`);
  }
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  lines.push('', `${count('completed')} completed, ${count('skipped')} already done, ${count('failed')} failed, ${count('blocked')} blocked`, '');
  return lines.join('\n');
}
