/**
 * A tiny study on a real Slurm (one node: munged, slurmctld, slurmd; scripts/startSlurm.sh):
 * `grokscope reproduce --emit slurm`, the emitted file run once, then checked as docs/cluster.md
 * tells a user to — every array task and the report job completed, every run trained exactly
 * once, the report written, the metrics those of the same study run locally. Then an array task
 * cancelled (scancel) while its run trains, and the same file submitted again with sbatch: the
 * study completes with no step trained twice and the same metrics.
 *
 * It needs a Slurm it may start: GROKSCOPE_SLURM_TEST=1 (set by .ci/run, which runs as root on
 * Debian) runs scripts/startSlurm.sh unless a cluster already answers, and stops what it started
 * at the end. Without the variable the tests are skipped. The results folder is under the
 * system's temporary folder, so the cluster must be this machine.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { metrics, run, tmp } from './cliHarness';

const enabled = process.env['GROKSCOPE_SLURM_TEST'] === '1';
const describeSlurm = enabled ? describe : describe.skip;
const startSlurm = path.resolve(__dirname, '../../../scripts/startSlurm.sh');
const study = path.join(__dirname, 'fixtures', 'tinyStudy.yaml');
/** The jobs find node where this test's node is (sbatch passes the environment on). */
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env['PATH']}`, GROKSCOPE: undefined };

function sh(command: string, args: string[], cwd?: string): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { encoding: 'utf8', env, cwd, timeout: 60000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.error ?? ''}`);
  return r;
}

/** Waits until none of the jobs is queued or running; a study this small takes seconds a task. */
async function waitFor(ids: string[], limitMs = 240000): Promise<void> {
  const t0 = Date.now();
  while (sh('squeue', ['-h', '-j', ids.join(','), '-o', '%i']).stdout.trim() !== '') {
    if (Date.now() - t0 > limitMs) throw new Error(`jobs ${ids.join(',')} still queued after ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Each task of a job (an array job lists one per task) → its state, from slurmctld's record of ended jobs. */
function states(id: string): Record<string, string> {
  const text = sh('scontrol', ['-o', 'show', 'job', id]).stdout;
  const out: Record<string, string> = {};
  for (const line of text.trim().split('\n')) {
    const task = /ArrayTaskId=(\d+)/.exec(line)?.[1];
    out[task === undefined ? id : `${id}_${task}`] = /JobState=(\w+)/.exec(line)![1]!;
  }
  return out;
}

/** The ids the emitted file prints as it submits. */
function submittedIds(stdout: string): { array: string; report: string } {
  const array = /^submitted array job (\d+) /m.exec(stdout)?.[1];
  const report = /^submitted report job (\d+) /m.exec(stdout)?.[1];
  if (!array || !report) throw new Error(`no job ids in: ${stdout}`);
  return { array, report };
}

const runNames = (out: string) =>
  fs
    .readdirSync(out)
    .filter((f) => f.startsWith('seed='))
    .sort();
/** A run's log: how often a worker started it afresh, resumed it, and where it was interrupted and resumed. */
function story(out: string, name: string) {
  const log = fs.readFileSync(path.join(out, 'logs', `${name}.log`), 'utf8');
  return {
    fresh: (log.match(/^training /gm) ?? []).length,
    resumed: (log.match(/^resuming run/gm) ?? []).length,
    interruptedAt: [...log.matchAll(/^interrupted at step (\d+);/gm)].map((m) => Number(m[1])),
    resumedFrom: [...log.matchAll(/^resuming .* from step (\d+)$/gm)].map((m) => Number(m[1])),
  };
}
const EVALUATIONS = [...Array(13).keys()].map((k) => 10 * k); // 120 steps, evaluated every 10

describeSlurm('a study on a one-node Slurm', () => {
  let startedHere = false;
  let local = '';

  beforeAll(() => {
    if (spawnSync('sinfo', ['-h'], { env }).status !== 0) {
      // Installs slurm-wlm and munge when missing (apt-get, as root): minutes on a fresh machine.
      const r = spawnSync(startSlurm, [], { encoding: 'utf8', env, timeout: 600000 });
      if (r.status !== 0) throw new Error(`scripts/startSlurm.sh exited ${r.status}: ${r.stderr}`);
      startedHere = true;
    }
    // The same study run locally: what the cluster's runs must equal, record for record.
    local = path.join(tmp(), 'local');
    const r = run(['reproduce', '--study', study, '--out', local, '--workers', '2', '--quiet']);
    if (r.status !== 0) throw new Error(`the local study failed: ${r.stderr}`);
  }, 900000);

  afterAll(() => {
    if (startedHere) spawnSync(startSlurm, ['stop'], { env, timeout: 60000 });
  });

  test('submitted once: the tasks and the report job complete, each run trained once, as a local run', async () => {
    const out = path.join(tmp(), 'study');
    const emit = ['--emit', 'slurm', '--shards', '2', '--time', '0:20:00'];
    const emitted = run(['reproduce', '--study', study, '--out', out, ...emit]);
    expect(emitted.status).toBe(0);
    expect(emitted.stdout).toMatch(/array job {2}grokscope-tiny: 2 tasks .* 2 CPUs = workers .* time limit 0:20:00/);
    expect(emitted.stdout).toMatch(/report job grokscope-tiny-report/);
    const script = path.join(out, 'study.sweep.slurm.sh');
    expect(fs.existsSync(path.join(out, 'logs'))).toBe(true); // before any job: Slurm opens its output file there

    const { array, report } = submittedIds(sh('bash', [script]).stdout);
    await waitFor([array, report]);
    expect(states(array)).toEqual({ [`${array}_0`]: 'COMPLETED', [`${array}_1`]: 'COMPLETED' });
    expect(states(report)).toEqual({ [report]: 'COMPLETED' });

    expect(runNames(out)).toEqual(runNames(local));
    for (const name of runNames(out)) {
      expect({ name, ...story(out, name) }).toEqual({ name, fresh: 1, resumed: 0, interruptedAt: [], resumedFrom: [] });
      expect(metrics(path.join(out, name))).toEqual(metrics(path.join(local, name)));
    }
    for (const f of ['report.md', 'report.json', 'report.html'])
      expect(fs.existsSync(path.join(out, 'report', f))).toBe(true);
    const reportLog = fs.readFileSync(path.join(out, 'logs', `slurm-${report}-report.out`), 'utf8');
    expect(reportLog).toMatch(/0 finished now, 6 already done/); // the report job trained nothing
  }, 600000);

  test('a task cancelled mid-run, the file submitted again with sbatch: no step trained twice, the same metrics', async () => {
    const dir = tmp();
    const out = path.join(dir, 'study');
    expect(run(['reproduce', '--study', study, '--out', out, '--emit', 'slurm', '--shards', '2']).status).toBe(0);
    const script = path.join(out, 'study.sweep.slurm.sh');
    const first = submittedIds(sh('bash', [script]).stdout);

    // Shard 1 holds entropy-floor and the norm-matched runs that reference it: cancel it a few evaluations in.
    const victim = path.join(out, 'seed=0,condition=entropy-floor', 'metrics.jsonl');
    const records = () => (fs.existsSync(victim) ? fs.readFileSync(victim, 'utf8').split('\n').length - 1 : 0);
    const t0 = Date.now();
    while (records() < 3) {
      if (Date.now() - t0 > 120000) throw new Error('shard 1 did not start training');
      await new Promise((r) => setTimeout(r, 50));
    }
    sh('scancel', [`${first.array}_1`]);
    await waitFor([first.array, first.report]);
    expect(states(first.array)).toEqual({ [`${first.array}_0`]: 'COMPLETED', [`${first.array}_1`]: 'CANCELLED' });
    expect(states(first.report)).toEqual({ [first.report]: 'CANCELLED' }); // afterok can no longer hold
    expect(fs.existsSync(path.join(out, 'report'))).toBe(false);

    // Submitted again as a user might, with sbatch: the file then submits the same two jobs from a node.
    const submit = /Submitted batch job (\d+)/.exec(sh('sbatch', [script], dir).stdout)![1]!;
    await waitFor([submit]);
    const second = submittedIds(fs.readFileSync(path.join(dir, `slurm-${submit}.out`), 'utf8'));
    await waitFor([second.array, second.report]);
    expect(states(second.array)).toEqual({ [`${second.array}_0`]: 'COMPLETED', [`${second.array}_1`]: 'COMPLETED' });
    expect(states(second.report)).toEqual({ [second.report]: 'COMPLETED' });

    const cut = story(out, 'seed=0,condition=entropy-floor');
    // SIGTERM from scancel: a checkpoint at the very step reached, and the resumed run starts there.
    expect(cut).toEqual({ fresh: 1, resumed: 1, interruptedAt: [expect.any(Number)], resumedFrom: cut.interruptedAt });
    expect(cut.interruptedAt[0]).toBeGreaterThanOrEqual(20);
    for (const name of runNames(out)) {
      if (name !== 'seed=0,condition=entropy-floor') {
        // Another run of the cancelled shard was cut short too, or had not started: never more than once afresh.
        const s = story(out, name);
        const once = { name, fresh: 1, resumedFrom: s.interruptedAt };
        expect({ name, fresh: s.fresh, resumedFrom: s.resumedFrom }).toEqual(once);
      }
      const m = metrics(path.join(out, name));
      // Each evaluation logged once.
      expect({ name, steps: m.map((r) => r.step) }).toEqual({ name, steps: EVALUATIONS });
      expect(m).toEqual(metrics(path.join(local, name)));
    }
    expect(fs.existsSync(path.join(out, 'report', 'report.json'))).toBe(true);
  }, 600000);
});
