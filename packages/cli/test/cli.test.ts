/**
 * Drives the built binary in subprocesses, in temp dirs (see ./cliHarness for building first).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bin, metrics, run, tmp, writeConfig } from './cliHarness';

test('--help for the command and each subcommand describes it and its options', () => {
  const top = run(['--help']);
  expect(top.status).toBe(0);
  for (const c of ['train', 'sweep', 'analyze', 'report', 'forecast'])
    expect(top.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  const options: Record<string, string[]> = {
    train: [
      '--preset',
      '--config',
      '--set',
      '--seed',
      '--out',
      '--steps',
      '--backend',
      '--eval-every',
      '--resume',
      '--json',
      '--quiet',
    ],
    sweep: ['--workers', '--shard', '--emit', '--out'],
    analyze: ['--json'],
    report: ['--out'],
    forecast: ['--follow', '--law', '--fit-from', '--threshold'],
  };
  for (const [c, flags] of Object.entries(options)) {
    const h = run([c, '--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(new RegExp(`^Usage: grokscope ${c} `));
    for (const f of flags) expect(h.stdout).toContain(f);
  }
});

describe('config errors name the field and exit with 2', () => {
  test.each([
    ['a wrong type', ['--set', 'model.dModel="wide"'], /model\.dModel: got "wide"; expected a number/],
    [
      'a number too large to hold',
      ['--set', 'train.steps=1e400'],
      /train\.steps: got Infinity \(a number too large to hold\); expected a number/,
    ],
    [
      'an unknown field',
      ['--set', 'train.stepz=3'],
      /train\.stepz: unknown field.*allowed here: steps, evalEvery, checkpointEvery, batchSize/,
    ],
    ['an out-of-range value', ['--set', 'task.trainFraction=1.5'], /task\.trainFraction: got 1\.5; must be < 1/],
    [
      'a field of another task kind',
      ['--set', 'task.n=5'],
      /task\.n: unknown field.*allowed here: kind, modulus, op, trainFraction, split/,
    ],
    ['a value the task rejects', ['--set', 'task.modulus=12'], /task\.modulus: must be a prime/],
    ['an unknown plugin', ['--set', 'probes=["accuracy","entropie"]'], /probes\[1\]: unknown plugin "entropie"/],
    ['an unknown preset', ['--preset', 'huge'], /preset: unknown preset "huge"; choose one of paper, quick, s5, mlp/],
    ['an unknown option', ['--stepz', '3'], /unknown option '--stepz'/],
    ['a flag value', ['--steps', '-5'], /--steps <n>.*got "-5"; expected an integer ≥ 1/],
  ])('%s', (_what, args, message) => {
    const r = run(['train', '--preset', 'quick', ...args, '--out', path.join(tmp(), 'x')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
  test('a sweep whose conditions name no grid value', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 's.yaml'),
      'base: quick\ngrid: { seed: [0], condition: [baseline] }\nconditions: { entropy-flor: { interventions: [] } }\n',
    );
    const r = run(['sweep', path.join(dir, 's.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sweep\.conditions\.entropy-flor: no grid point has condition "entropy-flor"/);
  });
  test('a YAML config with an unknown top-level field', () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'c.yaml'),
      'task: { kind: cyclic, modulus: 11 }\nmodel: { kind: mlp }\ntrain: { steps: 10 }\nlearningRate: 3\n',
    );
    const r = run(['train', '--config', path.join(dir, 'c.yaml'), '--out', path.join(dir, 'run')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/learningRate: unknown field/);
  });
});

test('--json prints one JSON event per line, and a finished run is not retrained', () => {
  const dir = tmp();
  const cfg = writeConfig(dir);
  const r = run(['train', '--config', cfg, '--out', path.join(dir, 'run'), '--json']);
  expect(r.status).toBe(0);
  const events = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string });
  expect(events.filter((e) => e.event === 'evaluation')).toHaveLength(13);
  expect(events[events.length - 1]).toMatchObject({ event: 'done', status: 'completed', step: 120 });
  const again = run(['train', '--config', cfg, '--out', path.join(dir, 'run')]);
  expect(again.stdout).toMatch(/already completed at step 120/);
  // --resume continues with the stored config; a larger step cap extends the run.
  const longer = run(['train', '--out', path.join(dir, 'run'), '--resume', '--steps', '130', '--quiet']);
  expect(longer.stdout.trim()).toMatch(
    /^completed at step 130 in \d+s: (memorised at \d+|not memorised), not grokked by step 130; run written to .*run$/,
  );
  const other = run(['train', '--config', cfg, '--set', 'seed=3', '--out', path.join(dir, 'run')]);
  expect(other.status).toBe(2);
  expect(other.stderr).toMatch(/holds a run of a different config \(seed: 0 → 3\)/);
});

test('SIGINT mid-run checkpoints; the same command again gives the uninterrupted metrics', async () => {
  const dir = tmp();
  // Long enough that the run cannot finish before the signal lands: --json records (~1.5 kB
  // each) fill the pipe, so the child is at most ~40 evaluations ahead of what we have read.
  const cfg = writeConfig(dir, { train: { steps: 1000, evalEvery: 10 } });
  expect(run(['train', '--config', cfg, '--out', path.join(dir, 'ref'), '--quiet']).status).toBe(0);
  const child = spawn(process.execPath, [bin, 'train', '--config', cfg, '--out', path.join(dir, 'run'), '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (!sent && out.includes('"event":"checkpoint"')) {
      sent = true; // one Ctrl-C: a second one means "quit now"
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(130);
  expect(out).toMatch(/"status":"interrupted"/);
  for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  expect(fs.existsSync(path.join(dir, 'run', 'summary.json'))).toBe(false);
  const resumed = run(['train', '--config', cfg, '--out', path.join(dir, 'run')]);
  expect(resumed.stdout).toMatch(/resuming/);
  expect(metrics(path.join(dir, 'run'))).toEqual(metrics(path.join(dir, 'ref')));
});

test('a user probe plugs in by module path', () => {
  const dir = tmp();
  fs.writeFileSync(
    path.join(dir, 'stepProbe.js'),
    `module.exports = (options) => ({ name: 'step-probe', apply(t) { t.hooks.evaluate.tapPromise('step-probe', async (ev) => { ev.metrics['custom/twiceStep'] = ev.step * (options.factor ?? 1); }); } });\n`,
  );
  const cfg = writeConfig(dir, { probes: ['accuracy', { module: './stepProbe.js', options: { factor: 2 } }] });
  // Run from elsewhere: a relative module path resolves from the config file's folder.
  const r = run(['train', '--config', cfg, '--out', path.join(dir, 'run'), '--quiet'], os.tmpdir());
  expect(r.stderr).toBe('');
  expect(metrics(path.join(dir, 'run')).map((m) => (m.metrics as Record<string, number>)['custom/twiceStep'])).toEqual(
    [...Array(13).keys()].map((k) => 20 * k),
  );
});

describe('sweeps', () => {
  const sweepYaml = (out: string, steps = 150) => `base:
  task: { kind: cyclic, modulus: 11, trainFraction: 0.5 }
  model: { kind: transformer, dModel: 16, heads: 4, dMlp: 32 }
  train: { steps: ${steps}, evalEvery: 10 }
  probes: [accuracy, norms]
out: ${out}
grid:
  seed: [0, 1]
  condition: [baseline, entropy-floor, norm-matched]
conditions:
  entropy-floor: { interventions: [{ name: entropy-floor, options: { floor: 0.9 } }] }
  norm-matched: { interventions: [{ name: norm-matched, options: { reference: "{run:condition=entropy-floor}" } }] }
`;
  const runDirs = (out: string) =>
    fs
      .readdirSync(out)
      .filter((d) => fs.existsSync(path.join(out, d, 'manifest.json')))
      .sort();
  const assertCompletedOnce = (out: string) => {
    for (const d of runDirs(out)) {
      const steps = metrics(path.join(out, d)).map((m) => m.step);
      expect(new Set(steps).size).toBe(steps.length);
      expect(JSON.parse(fs.readFileSync(path.join(out, d, 'summary.json'), 'utf8')).status).toBe('completed');
    }
  };

  test('killed mid-way and restarted, every run completes exactly once', async () => {
    const dir = tmp();
    const file = path.join(dir, 'sweep.yaml');
    fs.writeFileSync(file, sweepYaml(path.join(dir, 'out'), 600));
    const child = spawn(process.execPath, [bin, 'sweep', file, '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let first = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const done = /done {2}(\S+)/.exec(out);
      if (!first && done) {
        first = done[1]!; // the first run to end (workers take referenced runs first: an entropy-floor run)
        process.kill(-child.pid!, 'SIGKILL');
      }
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(first).not.toBe('');
    expect(runDirs(path.join(dir, 'out')).length).toBeLessThan(6);
    const again = run(['sweep', file, '--workers', '2']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`skip  ${first}`);
    expect(runDirs(path.join(dir, 'out'))).toHaveLength(6);
    assertCompletedOnce(path.join(dir, 'out'));
    for (const d of runDirs(path.join(dir, 'out')))
      expect(fs.existsSync(path.join(dir, 'out', d, '.grokscope.lock'))).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'out', 'logs'))).toHaveLength(6);
  });

  test('shards 0/2 and 1/2 in separate processes make the same runs as one sweep; norm-matched stays with its reference', async () => {
    const dir = tmp();
    const [a, b] = [path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml')];
    fs.writeFileSync(a, sweepYaml(path.join(dir, 'whole'), 40));
    fs.writeFileSync(b, sweepYaml(path.join(dir, 'sharded'), 40));
    expect(run(['sweep', a, '--workers', '2', '--quiet']).status).toBe(0);
    const s0 = spawn(process.execPath, [bin, 'sweep', b, '--shard', '0/2', '--workers', '1', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out0 = '';
    s0.stdout.on('data', (d: Buffer) => (out0 += d.toString()));
    const s1 = run(['sweep', b, '--shard', '1/2', '--workers', '1', '--quiet']);
    const code0 = await new Promise<number | null>((resolve) => s0.on('close', resolve));
    expect([code0, s1.status]).toEqual([0, 0]);
    expect(runDirs(path.join(dir, 'sharded'))).toEqual(runDirs(path.join(dir, 'whole')));
    assertCompletedOnce(path.join(dir, 'sharded'));
    // A norm-matched run always runs in the shard of its entropy-floor reference.
    for (const seed of [0, 1]) {
      const ran = (out: string, c: string) => new RegExp(`seed=${seed},condition=${c}\\s+\\| completed`).test(out);
      expect(ran(out0, 'norm-matched')).toBe(ran(out0, 'entropy-floor'));
      expect(ran(s1.stdout, 'norm-matched')).toBe(ran(s1.stdout, 'entropy-floor'));
    }
    for (const d of runDirs(path.join(dir, 'whole')))
      expect(metrics(path.join(dir, 'sharded', d))).toEqual(metrics(path.join(dir, 'whole', d)));
  });

  test('Ctrl-C stops a sweep with its runs checkpointed (exit 130); the same command finishes them', async () => {
    const dir = tmp();
    const file = path.join(dir, 'seeds.yaml');
    fs.writeFileSync(
      file,
      `base:\n  task: { kind: cyclic, modulus: 11, trainFraction: 0.5 }\n  model: { kind: transformer, dModel: 16, heads: 4, dMlp: 32 }\n  train: { steps: 800, evalEvery: 10 }\n  probes: [accuracy]\nout: out\ngrid:\n  seed: [0, 1]\n`,
    );
    const child = spawn(process.execPath, [bin, 'sweep', file, '--workers', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const started = () => [0, 1].every((s) => fs.existsSync(path.join(dir, 'out', `seed=${s}`, 'metrics.jsonl')));
    while (!started()) await new Promise((r) => setTimeout(r, 50));
    process.kill(-child.pid!, 'SIGINT'); // like Ctrl-C in a terminal: the sweep and its workers all get it, once
    expect(await closed).toBe(130);
    expect(out).toMatch(/seed=0\s+\| interrupted/);
    expect(out).toMatch(/seed=1\s+\| interrupted/);
    for (const s of [0, 1]) expect(fs.existsSync(path.join(dir, 'out', `seed=${s}`, 'summary.json'))).toBe(false);
    const again = run(['sweep', file, '--workers', '2', '--quiet']);
    expect(again.status).toBe(0);
    assertCompletedOnce(path.join(dir, 'out'));
  });

  test('a failing run is reported with its error, the others still finish, and the sweep exits 1', () => {
    const dir = tmp();
    const file = path.join(dir, 'lr.yaml');
    fs.writeFileSync(
      file,
      `base:\n  task: { kind: cyclic, modulus: 11, trainFraction: 0.5 }\n  model: { kind: transformer, dModel: 16, heads: 4, dMlp: 32 }\n  train: { steps: 30, evalEvery: 10 }\n  probes: [accuracy]\nout: out\ngrid:\n  optimizer.lr: [0.001, 1e30]\n`,
    );
    const r = run(['sweep', file, '--workers', '2']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/optimizer\.lr=0\.001\s+\| completed/);
    expect(r.stdout).toMatch(/optimizer\.lr=1e\+30\s+\| failed/);
    expect(r.stdout).toMatch(/optimizer\.lr=1e\+30: .*NaN or infinite/);
  });

  test('--emit writes a Slurm array job and a Kubernetes Indexed Job that run the shards', () => {
    const dir = tmp();
    const file = path.join(dir, 'study.yaml');
    fs.writeFileSync(file, sweepYaml(path.join(dir, 'results')));
    expect(run(['sweep', file, '--emit', 'slurm', '--shards', '6']).status).toBe(0);
    const slurm = fs.readFileSync(path.join(dir, 'study.slurm.sh'), 'utf8');
    expect(slurm).toMatch(/^#!\/bin\/bash\n/);
    expect(slurm).toMatch(/sbatch --parsable --job-name=grokscope-study --array=0-5 /);
    expect(slurm).toMatch(
      /sweep "[^"]*study\.yaml" --out "[^"]*results" \\\n\s+--shard "\$\{SLURM_ARRAY_TASK_ID\}\/6"/,
    );
    expect(run(['sweep', file, '--emit', 'k8s', '--shards', '6']).status).toBe(0);
    const k8s = fs.readFileSync(path.join(dir, 'study.k8s.yaml'), 'utf8');
    expect(k8s).toMatch(/completionMode: Indexed/);
    expect(k8s).toMatch(/completions: 6/);
    expect(k8s).toMatch(/parallelism: 6/);
    expect(k8s).toMatch(/sweep \/config\/sweep\.yaml --out \/results --shard "\$JOB_COMPLETION_INDEX\/6"/);
    expect(k8s).toMatch(/persistentVolumeClaim:\n\s+claimName: grokscope-study-results/);
    expect(k8s).toMatch(/- name: results\n\s+mountPath: \/results/);
    expect(k8s).toMatch(
      /kind: PersistentVolumeClaim\nmetadata:\n\s+name: grokscope-study-results\nspec:\n\s+accessModes:\n\s+- ReadWriteMany\n/,
    );
  });
});

test('analyze and report read run directories; forecast prints predictions', () => {
  const dir = tmp();
  const cfg = writeConfig(dir, { train: { steps: 60, evalEvery: 10 } });
  for (const s of [0, 1])
    expect(
      run(['train', '--config', cfg, '--seed', String(s), '--out', path.join(dir, 'runs', `s${s}`), '--quiet']).status,
    ).toBe(0);
  const a = run(['analyze', path.join(dir, 'runs')]);
  expect(a.status).toBe(0);
  expect(a.stdout).toMatch(/\| baseline \| 2 \|/);
  const r = run(['report', path.join(dir, 'runs'), '--out', path.join(dir, 'report')]);
  expect(r.status).toBe(0);
  expect(fs.readFileSync(path.join(dir, 'report', 'charts', 's0.svg'), 'utf8')).toMatch(/^<svg/);
  const f = run(['forecast', path.join(dir, 'runs', 's0'), '--law', '1000,1.5,100', '--threshold', '0.5']);
  expect(f.status).toBe(0);
  expect(f.stdout).toMatch(/step 0 {2}H̃ 0\.\d{4} {2}(predicted t_grok ≈ \d+|H̃ ≤ H̃\*)/);
  expect(run(['forecast', path.join(dir, 'runs', 's0'), '--law', '1,2']).stderr).toMatch(
    /--law: "1,2" is not C1,gamma,C2/,
  );
  // A negative C2 is written with its minus, not as "+ -60.0".
  const neg = run(['forecast', path.join(dir, 'runs', 's0'), '--law', '5000,0.5,-60', '--threshold', '0.59']);
  expect(neg.stdout.split('\n')[0]).toBe('law: ΔT = 5000.0·(H̃ − 0.5900)^0.500 − 60.0  (given)');
});

test('forecast --follow waits for a run, prints a forecast per evaluation, and stops when the run ends', async () => {
  const dir = tmp();
  const cfg = writeConfig(dir, { train: { steps: 200, evalEvery: 20 } });
  const live = path.join(dir, 'live');
  const f = spawn(
    process.execPath,
    [bin, 'forecast', live, '--follow', '--law', '1000,1.5,100', '--threshold', '0.3', '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  f.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number | null>((resolve) => f.on('close', resolve));
  expect(run(['train', '--config', cfg, '--out', live, '--quiet']).status).toBe(0);
  expect(await closed).toBe(0);
  const events = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; step?: number });
  // Started before the run exists, it may first say it is waiting (a `waiting` event); then the law.
  const firstOther = events.findIndex((e) => e.event !== 'waiting');
  expect(events.slice(firstOther).some((e) => e.event === 'waiting')).toBe(false);
  expect(events[firstOther]).toMatchObject({ event: 'law', C1: 1000, gamma: 1.5, C2: 100, threshold: 0.3 });
  expect(events.filter((e) => e.event === 'forecast').map((e) => e.step)).toEqual(
    [...Array(11).keys()].map((k) => 20 * k),
  );
});
