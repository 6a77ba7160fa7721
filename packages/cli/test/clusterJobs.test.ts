/**
 * The emitted cluster jobs run (docs/cluster.md): the Slurm file's array task is run with bash
 * as Slurm would run it (SLURM_ARRAY_TASK_ID set), and its shard really trains; run once, the
 * file submits the array and the report job after it (checked against a stand-in sbatch here,
 * against a real Slurm in slurmCluster.test.ts); the Kubernetes Job runs the command and image
 * it was given.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '@grokscope/core';
import { DEFAULT_IMAGE, emitScheduler } from '../src/emitScheduler';
import { expandSweep, readSweep, shardRuns } from '../src/expandSweep';
import { bin, run, tmp } from './cliHarness';

const sweepYaml = `base:
  task: { kind: cyclic, modulus: 11, trainFraction: 0.5 }
  model: { kind: transformer, dModel: 16, heads: 4, dMlp: 32 }
  train: { steps: 20, evalEvery: 10 }
  probes: [accuracy]
out: results
grid:
  seed: [0, 1, 2]
`;

/** Runs the script as Slurm runs array task `task`: bash, in the submission folder, with the scheduler's variables. */
function slurmTask(script: string, task: number, env: Record<string, string> = {}) {
  const { GROKSCOPE: _drop, ...inherited } = process.env;
  return spawnSync('bash', [script, '--shard-task'], {
    cwd: path.dirname(script),
    encoding: 'utf8',
    timeout: 120000,
    env: {
      ...inherited,
      SLURM_JOB_ID: '4242',
      SLURM_ARRAY_JOB_ID: '4242',
      SLURM_ARRAY_TASK_ID: String(task),
      SLURM_ARRAY_TASK_COUNT: '2',
      SLURM_CPUS_PER_TASK: '1',
      ...env,
    },
  });
}

const status = (dir: string) => {
  const file = path.join(dir, 'summary.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { status: string; steps: number }) : null;
};

test("the Slurm array script's body runs a real shard per task, by default with this installation", () => {
  const dir = path.join(tmp(), 'my study'); // a space: the script must quote its paths
  fs.mkdirSync(dir);
  const file = path.join(dir, 'seeds.yaml');
  fs.writeFileSync(file, sweepYaml);
  const emitted = run(['sweep', file, '--emit', 'slurm', '--shards', '2']);
  expect(emitted.stderr).toBe('');
  expect(emitted.status).toBe(0);
  const script = path.join(dir, 'seeds.slurm.sh');
  const text = fs.readFileSync(script, 'utf8');
  expect(text).toMatch(/sbatch --parsable --job-name=grokscope-seeds --array=0-1 /);
  expect(fs.existsSync(path.join(dir, 'results', 'logs'))).toBe(true); // made when emitting: Slurm opens its output there first
  expect(text).toContain(`GROKSCOPE="\${GROKSCOPE:-node ${bin}}"`); // the installation that wrote the job
  expect(text).not.toMatch(/npx --yes @grokscope\/cli@[\d.]+ sweep/); // the unpublished package is only a commented example

  const planned = expandSweep(readSweep(file));
  const shard0 = shardRuns(planned, 0, 2).map((r) => r.dir);
  expect(shard0.length).toBeGreaterThan(0);
  expect(shard0.length).toBeLessThan(planned.length);

  const t0 = slurmTask(script, 0);
  expect(t0.stderr).toBe('');
  expect(t0.status).toBe(0);
  for (const r of planned)
    expect([r.dir, status(r.dir)?.status ?? null]).toEqual([r.dir, shard0.includes(r.dir) ? 'completed' : null]);
  expect(fs.existsSync(path.join(dir, 'results', 'logs'))).toBe(true);

  // Task 1 with the command chosen at submission (GROKSCOPE): a quoted path with a space still works.
  const copy = path.join(dir, 'cli copy');
  fs.mkdirSync(copy);
  fs.writeFileSync(path.join(copy, 'grokscope.js'), `require(${JSON.stringify(bin)}).main(process.argv);\n`);
  const t1 = slurmTask(script, 1, { GROKSCOPE: `node '${path.join(copy, 'grokscope.js')}'` });
  expect(t1.stderr).toBe('');
  expect(t1.status).toBe(0);
  for (const r of planned) expect(status(r.dir)).toMatchObject({ status: 'completed', steps: 20 });
  // The whole sweep now reports every run as already done.
  expect(run(['sweep', file, '--quiet']).stdout).toMatch(/0 finished now, 3 already done, 0 failed/);
});

test('run once, the Slurm file makes the logs folder, submits the array, then the report job after it, and says so', () => {
  const dir = tmp();
  const file = path.join(dir, 'seeds.yaml');
  fs.writeFileSync(file, sweepYaml);
  const emitted = run([
    'sweep',
    file,
    '--emit',
    'slurm',
    '--shards',
    '2',
    '--time',
    '2:00:00',
    '--job-name',
    'seeds-test',
  ]);
  expect(emitted.stderr).toBe('');
  expect(emitted.status).toBe(0);
  // Shard 0 holds seeds 0 and 2, which reference nothing: both train at once, on 2 CPUs.
  expect(emitted.stdout).toMatch(
    /array job {2}seeds-test: 2 tasks \(--shards\).* 2 CPUs = workers \(--cpus-per-task\), \d+M memory \(--mem, estimated\), time limit 2:00:00 \(--time\)/,
  );
  expect(emitted.stdout).toMatch(/report job seeds-test-report: once every task has succeeded/);
  const script = path.join(dir, 'seeds.slurm.sh');
  expect(emitted.stdout).toContain(`bash ${script}`);

  // A stand-in sbatch that records its arguments and answers as --parsable does.
  const fake = path.join(dir, 'fake-bin');
  const calls = path.join(dir, 'calls');
  fs.mkdirSync(fake);
  fs.mkdirSync(calls);
  fs.writeFileSync(
    path.join(fake, 'sbatch'),
    '#!/bin/bash\nn=$(( $(ls "$CALLS" | wc -l) + 100 ))\nprintf \'%s\\n\' "$@" > "$CALLS/$n"\necho "$n;cluster"\n',
    { mode: 0o755 },
  );
  fs.rmSync(path.join(dir, 'results'), { recursive: true }); // each submission makes the logs folder again
  const submitted = spawnSync('bash', [script, '--partition=short'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${fake}:${process.env.PATH}`, CALLS: calls },
  });
  expect(submitted.stderr).toBe('');
  expect(submitted.status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'results', 'logs'))).toBe(true);
  const args = (id: number) =>
    fs
      .readFileSync(path.join(calls, String(id)), 'utf8')
      .trim()
      .split('\n');
  expect(fs.readdirSync(calls).sort()).toEqual(['100', '101']);
  const logs = path.join(dir, 'results', 'logs');
  expect(args(100)).toEqual([
    '--parsable',
    '--job-name=seeds-test',
    '--array=0-1',
    '--ntasks=1',
    '--cpus-per-task=2',
    expect.stringMatching(/^--mem=\d+M$/),
    '--time=2:00:00',
    `--output=${logs}/slurm-%A_%a.out`,
    '--partition=short', // the arguments after the file go to both sbatch calls, last so they win
    script,
    '--shard-task',
  ]);
  expect(args(101)).toEqual([
    '--parsable',
    '--job-name=seeds-test-report',
    '--dependency=afterok:100',
    '--kill-on-invalid-dep=yes',
    '--ntasks=1',
    '--cpus-per-task=1',
    '--mem=2048M',
    '--time=1:00:00',
    `--output=${logs}/slurm-%j-report.out`,
    '--partition=short',
    script,
    '--report-task',
  ]);
  expect(submitted.stdout).toMatch(
    /^submitted array job 100 \(seeds-test: 2 task\(s\), --cpus-per-task=2 --mem=\d+M --time=2:00:00 --partition=short\)$/m,
  );
  expect(submitted.stdout).toMatch(/^submitted report job 101 \(seeds-test-report, once every task has succeeded\)$/m);

  // What the two jobs run: every shard, then the report of the whole sweep.
  for (const task of [0, 1]) expect(slurmTask(script, task).status).toBe(0);
  const report = spawnSync('bash', [script, '--report-task'], {
    encoding: 'utf8',
    env: { ...process.env, GROKSCOPE: undefined },
  });
  expect(report.status).toBe(0);
  expect(fs.existsSync(path.join(dir, 'results', 'report', 'report.md'))).toBe(true);
});

test('the job options are checked by name, apply only with --emit, and --cpus-per-task and --mem replace the estimate', () => {
  const dir = tmp();
  const file = path.join(dir, 'seeds.yaml');
  fs.writeFileSync(file, sweepYaml);
  const refused: [string[], RegExp][] = [
    [['--time', '25h'], /--time: got "25h"; give a Slurm time limit, e.g. 90 \(minutes\), 12:00:00/],
    [['--mem', 'lots'], /--mem: got "lots"; give memory per shard as Slurm does, e.g. 4G/],
    [['--job-name', 'My Study'], /--job-name: got "My Study"; use lower-case letters, digits and '-'/],
  ];
  for (const [extra, message] of refused) {
    const r = run(['sweep', file, '--emit', 'slurm', ...extra]);
    expect([extra, r.status]).toEqual([extra, 2]);
    expect(r.stderr).toMatch(message);
  }
  expect(run(['sweep', file, '--emit', 'k8s', '--time', '1:00:00']).stderr).toMatch(
    /--time: applies to --emit slurm only; drop it/,
  );
  expect(run(['sweep', file, '--mem', '4G']).stderr).toMatch(
    /--mem: says what an emitted cluster job runs; add --emit slurm or --emit k8s/,
  );
  expect(fs.readdirSync(dir)).toEqual(['seeds.yaml']);

  expect(run(['sweep', file, '--emit', 'slurm', '--cpus-per-task', '3', '--mem', '6G']).status).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'seeds.slurm.sh'), 'utf8')).toContain(
    '--cpus-per-task=3 --mem=6144M --time=24:00:00',
  );
  expect(run(['sweep', file, '--emit', 'k8s', '--cpus-per-task', '3', '--mem', '6G']).status).toBe(0);
  const k8s = fs.readFileSync(path.join(dir, 'seeds.k8s.yaml'), 'utf8');
  expect(k8s).toContain('--workers 3');
  expect(k8s).toMatch(/cpu: "3"\n\s+memory: 6144Mi/);
});

test('the Slurm script runs the --command given; a shard of a failing command fails the task', () => {
  const dir = tmp();
  const file = path.join(dir, 'seeds.yaml');
  fs.writeFileSync(file, sweepYaml);
  expect(run(['sweep', file, '--emit', 'slurm', '--shards', '2', '--command', `node ${bin}`]).status).toBe(0);
  const script = path.join(dir, 'seeds.slurm.sh');
  expect(fs.readFileSync(script, 'utf8')).toContain(`GROKSCOPE="\${GROKSCOPE:-node ${bin}}"`);
  const broken = slurmTask(script, 0, { GROKSCOPE: 'node /nonexistent/grokscope.js' });
  expect(broken.status).not.toBe(0); // set -e: Slurm sees the task fail
});

test('the Kubernetes Job runs the given command in the given image, and parses as YAML', () => {
  const dir = tmp();
  const file = path.join(dir, 'seeds.yaml');
  fs.writeFileSync(file, sweepYaml);
  expect(run(['sweep', file, '--emit', 'k8s', '--shards', '3']).status).toBe(0);
  const docs = (spec: string) =>
    YAML.parseAllDocuments(fs.readFileSync(spec, 'utf8')).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed Kubernetes document, navigated by hand in the assertions
  const ofKind = (spec: string, kind: string) => docs(spec).find((d) => d['kind'] === kind)!;
  const container = (spec: string) => ofKind(spec, 'Job')['spec']['template']['spec']['containers'][0];
  const byDefault = container(path.join(dir, 'seeds.k8s.yaml'));
  expect(byDefault.image).toBe(DEFAULT_IMAGE);
  // Three seeds in three shards: one run each, so one worker and one CPU per pod.
  expect(byDefault.args).toEqual([
    'grokscope sweep /config/sweep.yaml --out /results --shard "$JOB_COMPLETION_INDEX/3" --workers 1',
  ]);

  const image = 'registry.example.org/team/grokscope:0.1.0';
  const command = `node /opt/grokscope/packages/cli/dist/bin.js --it's: fine`;
  expect(run(['sweep', file, '--emit', 'k8s', '--shards', '3', '--image', image, '--command', command]).status).toBe(0);
  const chosen = container(path.join(dir, 'seeds.k8s.yaml'));
  expect(chosen.image).toBe(image);
  expect(chosen.args[0]).toBe(
    `${command} sweep /config/sweep.yaml --out /results --shard "$JOB_COMPLETION_INDEX/3" --workers 1`,
  );

  // Not root, no privilege escalation, memory limited as requested, the Job removed a day after it ends.
  const [pvc, , job] = docs(path.join(dir, 'seeds.k8s.yaml'));
  expect(pvc!['spec']['storageClassName']).toBeUndefined(); // the cluster's default class
  expect(job!['spec']['ttlSecondsAfterFinished']).toBe(86400);
  expect(job!['spec']['template']['spec']['securityContext']).toEqual({
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
  });
  expect(chosen.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  expect(chosen.resources.limits.memory).toBe(chosen.resources.requests.memory);
  expect(run(['sweep', file, '--emit', 'k8s', '--storage-class', 'nfs-client']).status).toBe(0);
  expect(docs(path.join(dir, 'seeds.k8s.yaml'))[0]!['spec']['storageClassName']).toBe('nfs-client');
  expect(run(['sweep', file, '--emit', 'slurm', '--storage-class', 'nfs-client']).stderr).toMatch(
    /--storage-class: applies to --emit k8s only/,
  );
  expect(run(['sweep', file, '--emit', 'k8s', '--storage-class', 'NFS Client']).stderr).toMatch(
    /--storage-class: got "NFS Client"; a StorageClass name is/,
  );

  // The sweep file travels in the same file, as a ConfigMap; base64 where a YAML 1.1 reader would break its lines.
  const sweepKey = (spec: string) => ofKind(spec, 'ConfigMap')['data']['sweep.yaml'];
  expect(sweepKey(path.join(dir, 'seeds.k8s.yaml'))).toBe(sweepYaml);
  const odd = `${sweepYaml}# a note\u2028kind: Pod\n`;
  fs.writeFileSync(file, odd);
  expect(run(['sweep', file, '--emit', 'k8s']).status).toBe(0);
  const binary = ofKind(path.join(dir, 'seeds.k8s.yaml'), 'ConfigMap');
  expect(binary['data']).toBeUndefined();
  expect(Buffer.from(binary['binaryData']['sweep.yaml'], 'base64').toString('utf8')).toBe(odd);
  fs.writeFileSync(file, sweepYaml);

  const misplaced = run(['sweep', file, '--emit', 'slurm', '--image', image]);
  expect(misplaced.status).toBe(2);
  expect(misplaced.stderr).toMatch(/--image: applies to --emit k8s only; for Slurm give --command/);
  const noEmit = run(['sweep', file, '--command', 'grokscope']);
  expect(noEmit.status).toBe(2);
  expect(noEmit.stderr).toMatch(/--command: says what an emitted cluster job runs; add --emit slurm or --emit k8s/);
});

describe('hostile names cannot add lines to an emitted job file', () => {
  const hostile = ['\nid > pwned\n', '\r\ntouch pwned\r\n', '\u2028touch: pwned', '\u0000'];
  test.each(['slurm', 'k8s'] as const)(
    '%s: a line break in the sweep path, results folder or command is refused by name',
    (kind) => {
      for (const bad of hostile) {
        const dir = tmp();
        const file = path.join(dir, `seeds${bad}.yaml`);
        const cases: [string, () => string][] = [
          ['FILE', () => emitScheduler(kind, file, path.join(dir, 'results'), 2)],
          ['out', () => emitScheduler(kind, path.join(dir, 'seeds.yaml'), path.join(dir, `results${bad}`), 2)],
          [
            '--command',
            () =>
              emitScheduler(kind, path.join(dir, 'seeds.yaml'), path.join(dir, 'results'), 2, {
                command: `grokscope${bad}`,
              }),
          ],
        ];
        for (const [field, emit] of cases) {
          let err: unknown;
          try {
            emit();
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).field).toBe(field);
          expect((err as Error).message).toMatch(
            /holds a line break or control character \(U\+[0-9A-F]{4}\), which would end a line of the emitted job file; rename it/,
          );
        }
        expect(fs.readdirSync(dir)).toEqual([]); // nothing written
      }
    },
  );

  test('k8s: an image named in the header comment with a control character or NEL is refused by name', () => {
    const dir = tmp();
    const [sweep, results] = [path.join(dir, 'seeds.yaml'), path.join(dir, 'results')];
    for (const bad of ['\u0085kind:Evil', '\u0000']) {
      const emit = () => emitScheduler('k8s', sweep, results, 2, { image: `grokscope${bad}` });
      expect(emit).toThrow(ConfigError);
      expect(emit).toThrow(/the image "grokscope.*" holds a line break or control character \(U\+00(85|00)\)/);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
