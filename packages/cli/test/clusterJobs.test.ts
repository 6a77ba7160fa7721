/**
 * The emitted cluster jobs run (docs/cluster.md): the Slurm array script's body is run with
 * bash as Slurm would run one array task (SLURM_ARRAY_TASK_ID set), and its shard really
 * trains; the Kubernetes Job runs the command and image it was given.
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
  return spawnSync('bash', [script], {
    cwd: path.dirname(script),
    encoding: 'utf8',
    timeout: 120000,
    env: { ...inherited, SLURM_JOB_ID: '4242', SLURM_ARRAY_JOB_ID: '4242', SLURM_ARRAY_TASK_ID: String(task), SLURM_ARRAY_TASK_COUNT: '2', SLURM_CPUS_PER_TASK: '1', ...env },
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
  expect(text).toMatch(/^#SBATCH --array=0-1$/m);
  expect(text).toContain(`GROKSCOPE="\${GROKSCOPE:-node ${bin}}"`); // the installation that wrote the job
  expect(text).not.toMatch(/npx --yes @grokscope\/cli@[\d.]+ sweep/); // the unpublished package is only a commented example

  const planned = expandSweep(readSweep(file));
  const shard0 = shardRuns(planned, 0, 2).map((r) => r.dir);
  expect(shard0.length).toBeGreaterThan(0);
  expect(shard0.length).toBeLessThan(planned.length);

  const t0 = slurmTask(script, 0);
  expect(t0.stderr).toBe('');
  expect(t0.status).toBe(0);
  for (const r of planned) expect([r.dir, status(r.dir)?.status ?? null]).toEqual([r.dir, shard0.includes(r.dir) ? 'completed' : null]);
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
  const docs = (spec: string) => YAML.parseAllDocuments(fs.readFileSync(spec, 'utf8')).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed Kubernetes document, navigated by hand in the assertions
  const container = (spec: string) => docs(spec)[1]!['spec']['template']['spec']['containers'][0];
  const byDefault = container(path.join(dir, 'seeds.k8s.yaml'));
  expect(byDefault.image).toBe(DEFAULT_IMAGE);
  expect(byDefault.args).toEqual(['grokscope sweep /config/sweep.yaml --out /results --shard "$JOB_COMPLETION_INDEX/3" --workers 2']);

  const image = 'registry.example.org/team/grokscope:0.1.0';
  const command = `node /opt/grokscope/packages/cli/dist/bin.js --it's: fine`;
  expect(run(['sweep', file, '--emit', 'k8s', '--shards', '3', '--image', image, '--command', command]).status).toBe(0);
  const chosen = container(path.join(dir, 'seeds.k8s.yaml'));
  expect(chosen.image).toBe(image);
  expect(chosen.args[0]).toBe(`${command} sweep /config/sweep.yaml --out /results --shard "$JOB_COMPLETION_INDEX/3" --workers 2`);

  const misplaced = run(['sweep', file, '--emit', 'slurm', '--image', image]);
  expect(misplaced.status).toBe(2);
  expect(misplaced.stderr).toMatch(/--image: applies to --emit k8s only; for Slurm give --command/);
  const noEmit = run(['sweep', file, '--command', 'grokscope']);
  expect(noEmit.status).toBe(2);
  expect(noEmit.stderr).toMatch(/--command: says what an emitted cluster job runs; add --emit slurm or --emit k8s/);
});

describe('hostile names cannot add lines to an emitted job file (issue 32)', () => {
  const hostile = ['\nid > pwned\n', '\r\ntouch pwned\r\n', '\u2028touch: pwned', '\u0000'];
  test.each(['slurm', 'k8s'] as const)('%s: a line break in the sweep path, results folder or command is refused by name', (kind) => {
    for (const bad of hostile) {
      const dir = tmp();
      const file = path.join(dir, `seeds${bad}.yaml`);
      const cases: [string, () => string][] = [
        ['FILE', () => emitScheduler(kind, file, path.join(dir, 'results'), 2)],
        ['out', () => emitScheduler(kind, path.join(dir, 'seeds.yaml'), path.join(dir, `results${bad}`), 2)],
        ['--command', () => emitScheduler(kind, path.join(dir, 'seeds.yaml'), path.join(dir, 'results'), 2, { command: `grokscope${bad}` })],
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
        expect((err as Error).message).toMatch(/holds a line break or control character \(U\+[0-9A-F]{4}\), which would end a line of the emitted job file; rename it/);
      }
      expect(fs.readdirSync(dir)).toEqual([]); // nothing written
    }
  });
});
