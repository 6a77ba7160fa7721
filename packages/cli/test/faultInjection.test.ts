/**
 * The fault-injection suite (docs/reliability.md): the built `grokscope train` killed with
 * SIGKILL at seeded random moments — some of them in the middle of a checkpoint write — and a
 * disk that fills up mid-write. Whatever happens, running the same command again must end in
 * exactly the metrics of an uninterrupted run, and a failure must say so with a non-zero exit.
 * (The lock held by a stopped-then-continued owner is tested in runLock.test.ts.)
 */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore, Rng } from '@grokscope/core';
import { bin, metrics, run, tmp, writeConfig } from './cliHarness';

const faultFs = path.join(__dirname, 'fixtures', 'faultFs.js');
const CKPT_TMP = String.raw`checkpoints/\.step-\d+\.ckpt\.\d+\.tmp$`;
const withFaults = (vars: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_OPTIONS: `--require ${faultFs}`,
  ...vars,
});

/** When to kill: ms after the process started, or after it reported its first evaluation (so every such kill leaves it some training done). */
type KillAt = { readonly from: 'spawn' | 'training'; readonly ms: number };

/** Starts `train --json`, and kills it with SIGKILL at `killAt` or as soon as the fault layer stalls a write. */
function trainAndKill(
  args: string[],
  killAt: KillAt,
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | null; killed: boolean; stalled: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    } satisfies SpawnOptions);
    let stderr = '';
    let stdout = '';
    let stalled = false;
    let timer: NodeJS.Timeout | undefined =
      killAt.from === 'spawn' ? setTimeout(() => child.kill('SIGKILL'), killAt.ms) : undefined;
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (killAt.from === 'training' && timer === undefined && /"event":"evaluation"/.test(stdout))
        timer = setTimeout(() => child.kill('SIGKILL'), killAt.ms);
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!stalled && /FAULT stalled/.test(stderr)) {
        stalled = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, killed: signal === 'SIGKILL', stalled, stderr });
    });
  });
}

const summaryOf = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as {
    status: string;
    steps: number;
    events: unknown;
  };

test('kill -9 at seeded random moments (≥ 20 kills, some mid-checkpoint-write) always resumes to the uninterrupted metrics', async () => {
  const dir = tmp();
  const config = writeConfig(dir, { train: { steps: 400, evalEvery: 10 } });
  const ref = path.join(dir, 'ref');
  expect(run(['train', '--config', config, '--out', ref, '--quiet']).status).toBe(0);
  const expected = metrics(ref);
  const rng = new Rng(20261126);
  let kills = 0;
  let midWrite = 0;
  for (let r = 0; r < 8 && (kills < 20 || midWrite < 5); r++) {
    const out = path.join(dir, `run-${r}`);
    const args = ['train', '--config', config, '--out', out];
    for (let attempt = 0; ; attempt++) {
      expect(attempt).toBeLessThan(60);
      // Every third attempt dies inside the 1st–3rd checkpoint write it makes; every sixth during
      // start-up; the others at a random moment of training. Moments are measured from events,
      // not from the spawn, so a loaded machine (slow start-up) still makes progress each time.
      const outcome =
        attempt % 3 === 1
          ? await trainAndKill(
              args,
              { from: 'spawn', ms: 120_000 },
              withFaults({ GROKSCOPE_FAULT_STALL: CKPT_TMP, GROKSCOPE_FAULT_STALL_NTH: String(1 + rng.int(3)) }),
            )
          : attempt % 6 === 3
            ? await trainAndKill(args, { from: 'spawn', ms: 100 + rng.int(1400) })
            : await trainAndKill(args, { from: 'training', ms: rng.int(1500) });
      if (!outcome.killed) {
        // Warnings (a temp file removed, records recomputed) are expected; an error is not.
        expect({
          code: outcome.code,
          errors: outcome.stderr.split('\n').filter((l) => !/^warning: |^$/.test(l)),
        }).toEqual({ code: 0, errors: [] });
        break;
      }
      kills += 1;
      if (outcome.stalled) midWrite += 1;
    }
    expect(metrics(out)).toEqual(expected);
    expect(summaryOf(out)).toMatchObject({ status: 'completed', steps: 400, events: summaryOf(ref).events });
    expect(fs.readdirSync(path.join(out, 'checkpoints')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }
  expect(kills).toBeGreaterThanOrEqual(20);
  expect(midWrite).toBeGreaterThanOrEqual(5);
}, 600_000);

describe('a disk that fills up mid-write', () => {
  test('during a checkpoint: exit ≠ 0 with a one-line named error, the last good checkpoint loads, and a rerun finishes exactly', () => {
    const dir = tmp();
    const config = writeConfig(dir);
    const ref = path.join(dir, 'ref');
    expect(run(['train', '--config', config, '--out', ref, '--quiet']).status).toBe(0);
    const out = path.join(dir, 'run');
    const full = spawnTrain(
      ['train', '--config', config, '--out', out, '--quiet'],
      withFaults({ GROKSCOPE_FAULT_ENOSPC: CKPT_TMP, GROKSCOPE_FAULT_ENOSPC_NTH: '5' }),
    );
    expect(full.status).toBe(1);
    expect(full.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^error: cannot write .*step-000000050\.ckpt \(ENOSPC: .*\); the disk is full: free space, then run the same command again/,
      ),
    ]);
    const store = new RunStore(out);
    expect(store.latestCheckpoint()!.data.step).toBe(40);
    expect(store.readSummary()).toMatchObject({ status: 'failed' });
    expect(fs.readdirSync(store.checkpointDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(run(['train', '--config', config, '--out', out, '--quiet']).status).toBe(0);
    expect(metrics(out)).toEqual(metrics(ref));
  });

  test('during a metrics append: no torn line, exit ≠ 0, and a rerun finishes exactly', () => {
    const dir = tmp();
    const config = writeConfig(dir);
    const ref = path.join(dir, 'ref');
    expect(run(['train', '--config', config, '--out', ref, '--quiet']).status).toBe(0);
    const out = path.join(dir, 'run');
    const full = spawnTrain(
      ['train', '--config', config, '--out', out, '--quiet'],
      withFaults({ GROKSCOPE_FAULT_ENOSPC: String.raw`metrics\.jsonl$`, GROKSCOPE_FAULT_ENOSPC_NTH: '4' }),
    );
    expect(full.status).toBe(1);
    expect(full.stderr).toMatch(/^error: cannot write .*metrics\.jsonl \(ENOSPC/);
    const text = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(metrics(out).map((r) => r.step)).toEqual([0, 10, 20]);
    expect(run(['train', '--config', config, '--out', out, '--quiet']).status).toBe(0);
    expect(metrics(out)).toEqual(metrics(ref));
  });
});

function spawnTrain(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 120000 });
}

/** A tiny run interrupted part-way (a cap of 60 of 120 steps, then the cap raised back), so there is something to resume. */
function partialRun() {
  const dir = tmp();
  const config = writeConfig(dir);
  const out = path.join(dir, 'run');
  expect(run(['train', '--config', config, '--out', out, '--steps', '60', '--quiet']).status).toBe(0);
  fs.rmSync(path.join(out, 'summary.json'));
  return { dir, config, out };
}

describe('damaged run directories, through the command', () => {
  test('a deleted manifest.json: exit 2 naming the run files, and the old log is not appended to', () => {
    const { config, out } = partialRun();
    fs.rmSync(path.join(out, 'manifest.json'));
    const before = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8');
    const r = run(['train', '--config', config, '--out', out, '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .* holds run files \(metrics\.jsonl, checkpoints\/\) but no manifest\.json/);
    expect(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')).toBe(before);
  });

  test('an edited learning rate in manifest.json: resume is refused with the field named (exit 2)', () => {
    const { out } = partialRun();
    const manifestPath = path.join(out, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    manifest.config.optimizer.lr = 0.5;
    fs.writeFileSync(manifestPath, JSON.stringify(manifest));
    const r = run(['train', '--out', out, '--resume', '--quiet']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: .*step-000000060\.ckpt was written by a run with another configuration \(config\.optimizer\.lr: 0\.001 → 0\.5/,
    );
  });

  test("a cut-short last line at the checkpoint's step is recomputed: events and metrics equal an uninterrupted run's", () => {
    const { dir, config, out } = partialRun();
    const ref = path.join(dir, 'ref');
    expect(run(['train', '--config', config, '--out', ref, '--quiet']).status).toBe(0);
    const text = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8');
    fs.writeFileSync(path.join(out, 'metrics.jsonl'), text.slice(0, text.length - 25));
    expect(run(['train', '--config', config, '--out', out, '--quiet']).status).toBe(0);
    expect(metrics(out)).toEqual(metrics(ref));
    expect(summaryOf(out).events).toEqual(summaryOf(ref).events);
  });
});

describe('damaged run directories: records and manifest, through the command', () => {
  test.each([
    [
      'a duplicated record (sed 3p)',
      (lines: string[]) => [...lines.slice(0, 3), lines[2]!, ...lines.slice(3)],
      'line 4: step 20 does not follow step 20',
    ],
    [
      'two records swapped',
      (lines: string[]) => [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)],
      'line 3: step 10 does not follow step 20',
    ],
  ])('%s in metrics.jsonl: resume is refused naming the line, and the log is left as it was', (_, edit, named) => {
    const { config, out } = partialRun();
    const file = path.join(out, 'metrics.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    fs.writeFileSync(file, edit(lines.slice(0, -1)).join('\n') + '\n');
    const before = fs.readFileSync(file, 'utf8');
    const r = run(['train', '--config', config, '--out', out, '--quiet']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 1,
      stderr: `error: ${file}: ${named} (a duplicated or reordered record); remove or repair that line, or delete the run to start over\n`,
    });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(false);
  });

  test.each([
    // As the run format's schema (@grokscope/base) words what a grokscope manifest lacks: in a folder
    // `train` writes to, a manifest naming no other trainer is grokscope's.
    [
      'lost its config',
      '{"seed":0}',
      '"config" is missing (an object); "backend" is missing (a string); "versions" is missing (an object); "createdAt" is missing (a string)',
    ],
    ['is null', 'null', 'it is not a JSON object'],
  ])('a manifest.json that %s: exit 2, E_RUN_DAMAGED naming the file, nothing trained', (_, text, problems) => {
    const { config, out } = partialRun();
    const manifest = path.join(out, 'manifest.json');
    fs.writeFileSync(manifest, text);
    const before = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8');
    for (const args of [['--config', config], ['--resume']]) {
      const r = run(['train', ...args, '--out', out, '--json']);
      expect(r.status).toBe(2);
      const last = JSON.parse(r.stdout.trim().split('\n').pop()!) as { event: string; code: string; message: string };
      expect(last).toMatchObject({ event: 'error', code: 'E_RUN_DAMAGED' });
      expect(last.message).toBe(
        `${manifest} is damaged (${problems}), so the run cannot be resumed or reported; ` +
          'restore manifest.json if you have a copy, or delete the directory (or choose another --out) to start over',
      );
      expect(r.stderr).not.toMatch(/TypeError|\n {4}at /);
    }
    expect(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')).toBe(before);
    expect(fs.readFileSync(manifest, 'utf8')).toBe(text);
  });
});

describe('a disk that turns read-only mid-run', () => {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  test('exit 1 with the named E_STORAGE error and a done event (the lock left behind does not mask it); writable again, a rerun finishes exactly', () => {
    const dir = tmp();
    const config = writeConfig(dir);
    const ref = path.join(dir, 'ref');
    expect(run(['train', '--config', config, '--out', ref, '--quiet']).status).toBe(0);
    const out = path.join(dir, 'run');
    const ro = withFaults({
      GROKSCOPE_FAULT_EROFS: String.raw`metrics\.jsonl$`,
      GROKSCOPE_FAULT_EROFS_NTH: '4',
      GROKSCOPE_FAULT_EROFS_DISK: `^${escape(out)}`,
    });
    const r = spawnTrain(['train', '--config', config, '--out', out, '--json'], ro);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(r.status).toBe(1);
    expect(events.at(-2)).toMatchObject({ event: 'done', status: 'failed', step: 30 });
    expect(events.at(-1)).toMatchObject({ event: 'error', kind: 'run', code: 'E_STORAGE', exitCode: 1 });
    const cannot =
      /^cannot write .*\/run\/metrics\.jsonl \(EROFS: read-only file system, open .*\); the location is not writable/;
    expect(events.at(-1)!['message']).toMatch(cannot);
    const stderr = r.stderr.trim().split('\n');
    expect(stderr.at(-1)).toMatch(new RegExp(`^error: ${cannot.source.slice(1)}`));
    // Nothing but warnings before it: the lock file that could not be removed is one of them.
    expect(stderr.slice(0, -1).filter((l) => !l.startsWith('warning: '))).toEqual([]);
    expect(stderr).toContainEqual(
      expect.stringMatching(
        /^warning: could not remove the lock file .*\.grokscope\.lock \(EROFS.*\); the next run takes it over/,
      ),
    );
    expect(metrics(out).map((m) => m.step)).toEqual([0, 10, 20]);
    // The disk is writable again: the same command resumes and ends in the uninterrupted metrics.
    expect(run(['train', '--config', config, '--out', out, '--quiet']).status).toBe(0);
    expect(metrics(out)).toEqual(metrics(ref));
  });
});

describe('the run folder, or its lock file, removed mid-run', () => {
  const dir = tmp();
  const config = writeConfig(dir);
  const ref = path.join(dir, 'ref');
  const events = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  beforeAll(() => expect(run(['train', '--config', config, '--out', ref, '--quiet']).status).toBe(0));

  test('the folder: exit 1 with E_RUN_REMOVED, not "locked" (nobody holds it); the same command trains it again exactly', () => {
    const out = path.join(dir, 'gone');
    const faults = withFaults({
      GROKSCOPE_FAULT_REMOVE: out,
      GROKSCOPE_FAULT_REMOVE_AFTER: String.raw`metrics\.jsonl$`,
      GROKSCOPE_FAULT_REMOVE_NTH: '3',
    });
    const r = spawnTrain(['train', '--config', config, '--out', out, '--json'], faults);
    expect(r.status).toBe(1);
    const last = events(r.stdout).at(-1)!;
    expect(last).toMatchObject({ event: 'error', kind: 'run', code: 'E_RUN_REMOVED', exitCode: 1 });
    expect(last['message']).toMatch(
      /^the run folder .*\/gone was removed while this process trained it; .*Run the same command again to train the run from the start$/,
    );
    expect(r.stderr).not.toMatch(/locked|holder/);
    expect(fs.existsSync(out)).toBe(false);
    expect(run(['train', '--config', config, '--out', out, '--quiet']).status).toBe(0);
    expect(metrics(out)).toEqual(metrics(ref));
  });

  test('the lock file alone: exit 1 with E_RUN_REMOVED, records kept; the same command resumes to the uninterrupted metrics', () => {
    const out = path.join(dir, 'unlocked');
    const lock = path.join(out, '.grokscope.lock');
    const faults = withFaults({
      GROKSCOPE_FAULT_REMOVE: lock,
      GROKSCOPE_FAULT_REMOVE_AFTER: String.raw`metrics\.jsonl$`,
      GROKSCOPE_FAULT_REMOVE_NTH: '3',
    });
    const r = spawnTrain(['train', '--config', config, '--out', out, '--json'], faults);
    expect(r.status).toBe(1);
    const all = events(r.stdout);
    expect(all.at(-2)).toMatchObject({ event: 'done', status: 'failed' });
    expect(all.at(-1)).toMatchObject({ event: 'error', kind: 'run', code: 'E_RUN_REMOVED', exitCode: 1 });
    expect(all.at(-1)!['message']).toMatch(
      /^the lock file of .*\/unlocked was removed while this process trained the run \(nobody else holds it\)/,
    );
    expect(metrics(out).map((m) => m.step)).toEqual([0, 10, 20]);
    expect(run(['train', '--config', config, '--out', out, '--quiet']).status).toBe(0);
    expect(metrics(out)).toEqual(metrics(ref));
  });
});

test('a kill during the very first manifest write leaves a temp file that the next start removes', async () => {
  const dir = tmp();
  const config = writeConfig(dir, { train: { steps: 20, evalEvery: 10 } });
  const out = path.join(dir, 'run');
  // The process stalls inside its first write of the manifest's temp file and is killed there.
  const stallAt = withFaults({ GROKSCOPE_FAULT_STALL: String.raw`\.manifest\.json\.\d+\.tmp$` });
  const killed = await trainAndKill(
    ['train', '--config', config, '--out', out],
    { from: 'spawn', ms: 120_000 },
    stallAt,
  );
  expect(killed).toMatchObject({ killed: true, stalled: true });
  expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([
    expect.stringMatching(/^\.manifest\.json\.\d+\.tmp$/),
  ]);
  const again = run(['train', '--config', config, '--out', out]);
  expect(again.status).toBe(0);
  expect(again.stderr).toMatch(/removed 1 unfinished write\(s\) left by a killed process: \.manifest\.json\.\d+\.tmp/);
  expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
