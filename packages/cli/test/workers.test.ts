/**
 * Every core on one run (docs/throughput.md § Every core on one run): a run of `train.shards`
 * shards gives bitwise the same metrics on any number of workers, resumes across worker counts
 * (kill -9 included), refuses plugins that need the whole batch, and the memory check counts
 * each worker's replica.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';
import { type RunConfig, runConfigSchema } from '../src/configSchema';
import { checkMemory, SHARD_WORKER_BASE_BYTES, workerBytes } from '../src/memoryCheck';
import { runCores } from '../src/sweepCommand';
import { bin, killAfterSecondCheckpoint, metrics, tmp, writeConfig } from './cliHarness';

const train = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, 'train', '--quiet', ...args], {
    encoding: 'utf8',
    timeout: 120000,
    env: { ...process.env, GROKSCOPE_WORKERS: undefined, GROKSCOPE_THREADS: undefined, ...env },
  });
const manifest = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    workers?: number;
    config: { train: { shards?: number } };
  };
/** The tiny config, cut into `shards` shards. */
const sharded = (dir: string, shards: number, steps = 120) =>
  writeConfig(dir, { train: { steps, evalEvery: 10, checkpointEvery: 20, shards } });

test('a sharded run gives bitwise the same metrics on 1, 2 and 3 workers and records the count', () => {
  const dir = tmp();
  const config = sharded(dir, 3);
  const outs = ['1', '2', '3'].map((w) => path.join(dir, `w${w}`));
  expect(train(['--config', config, '--out', outs[0]!, '--workers', '1']).status).toBe(0);
  expect(train(['--config', config, '--out', outs[1]!, '--workers', '2']).status).toBe(0);
  // GROKSCOPE_WORKERS when --workers is not given.
  const viaEnv = train(['--config', config, '--out', outs[2]!], { GROKSCOPE_WORKERS: '3' });
  expect(viaEnv.stderr).toBe('');
  expect(viaEnv.status).toBe(0);
  expect(outs.map((o) => manifest(o).workers)).toEqual([1, 2, 3]);
  expect(manifest(outs[0]!).config.train.shards).toBe(3);
  expect(metrics(outs[1]!)).toEqual(metrics(outs[0]!));
  expect(metrics(outs[2]!)).toEqual(metrics(outs[0]!));
});

test('killed with SIGKILL on two workers, a run resumed on one worker writes the uninterrupted metrics', async () => {
  const dir = tmp();
  const config = sharded(dir, 2);
  const whole = path.join(dir, 'whole');
  const killed = path.join(dir, 'killed');
  expect(train(['--config', config, '--out', whole, '--workers', '1']).status).toBe(0);
  const args = [bin, 'train', '--config', config, '--out', killed, '--workers', '2', '--json'];
  // The shard worker dies with its process, mid-step.
  const end = await killAfterSecondCheckpoint(args);
  expect(end.signal).toBe('SIGKILL');
  expect(end.step).toBeGreaterThan(0);
  expect(end.step).toBeLessThan(120);
  expect(manifest(killed).workers).toBe(2);
  const again = train(['--config', config, '--out', killed, '--workers', '1']);
  expect(again.stderr).toBe('');
  expect(again.status).toBe(0);
  expect(metrics(killed)).toEqual(metrics(whole));
});

test('a sharded run with a plugin in the loss is refused before it starts, naming the plugin and the fix', () => {
  const dir = tmp();
  const config = writeConfig(dir, {
    train: { steps: 20, evalEvery: 10, shards: 2 },
    interventions: [{ name: 'entropy-floor', options: { lambda: 1, floor: 0.8 } }],
  });
  const r = train(['--config', config, '--out', path.join(dir, 'run')]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/train\.shards: 2 shards, but "entropy-floor" changes the training forward pass or loss/);
  expect(r.stderr).toMatch(/set train\.shards to 1/);
  expect(fs.existsSync(path.join(dir, 'run', 'metrics.jsonl'))).toBe(false);
});

test('a bad worker count names the flag or the variable and what it takes', () => {
  const dir = tmp();
  const config = sharded(dir, 2, 10);
  const flag = train(['--config', config, '--out', path.join(dir, 'a'), '--workers', '0']);
  expect(flag.status).toBe(2);
  expect(flag.stderr).toMatch(/--workers.*got "0"; expected "auto" or a whole number ≥ 1/);
  const env = train(['--config', config, '--out', path.join(dir, 'b')], { GROKSCOPE_WORKERS: 'many' });
  expect(env.status).toBe(2);
  expect(env.stderr).toMatch(/GROKSCOPE_WORKERS: got "many"; give a whole number ≥ 1, or "auto"/);
});

describe('the memory check', () => {
  const paperRun = (shards: number) =>
    runConfigSchema.parse({
      task: { kind: 'cyclic', modulus: 97, trainFraction: 0.3 },
      model: { kind: 'transformer', dModel: 128, heads: 4, dMlp: 512 },
      train: { steps: 1, shards },
    });

  test("counts each shard worker's replica, and only as many workers as there are shards", () => {
    const one = checkMemory(paperRun(4), process.cwd(), 64e9, 1)!;
    const three = checkMemory(paperRun(4), process.cwd(), 64e9, 3)!;
    const capped = checkMemory(paperRun(2), process.cwd(), 64e9, 8)!;
    expect(one.processBytes).toBe(one.estimate.bytes);
    const each = workerBytes(one.estimate, 4);
    // A replica holds the parameters and the training split but not the optimiser's moments.
    expect(each).toBeGreaterThan(SHARD_WORKER_BASE_BYTES + 2 * one.estimate.parameters * 4);
    expect(each).toBeLessThan(SHARD_WORKER_BASE_BYTES + one.estimate.bytes);
    expect(three.processBytes).toBe(one.estimate.bytes + 2 * each);
    expect(capped.processBytes).toBe(capped.estimate.bytes + workerBytes(capped.estimate, 2));
  });

  test('refuses more workers than the RAM holds, with the count that fits', () => {
    const config = paperRun(8);
    const single = checkMemory(config, process.cwd(), 64e9, 1)!;
    const each = workerBytes(single.estimate, 8);
    const ram = single.estimate.bytes + 2.5 * each; // room for the run and two workers
    expect(checkMemory(config, process.cwd(), ram, 3)).not.toBeNull();
    let err: unknown;
    try {
      checkMemory(config, process.cwd(), ram, 4);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('workers');
    expect((err as Error).message).toMatch(
      /4 workers need about .* more than the .* of RAM here; use --workers 3 or fewer/,
    );
  });
});

test('in a sweep, runs get one core each until cores would idle; then a run gets up to its shards', () => {
  // runCores reads only the shard count.
  const run = (shards?: number) => ({ config: { train: { steps: 1, shards } } as unknown as RunConfig });
  expect(runCores(run(2), 2, 10)).toBe(1); // many runs left: one core each
  expect(runCores(run(2), 1, 1)).toBe(1); // the last run while another still trains: the free core
  expect(runCores(run(2), 2, 1)).toBe(2); // a lone run (a study's tail, or one run on two cores)
  expect(runCores(run(4), 8, 2)).toBe(4);
  expect(runCores(run(2), 8, 1)).toBe(2); // never more than its shards
  expect(runCores(run(), 2, 1)).toBe(1); // one shard: one core
});

test('a sweep gives each run one core while others wait, and a lone run the idle cores', () => {
  const dir = tmp();
  const sweep = (name: string, seeds: number[]) => {
    const file = path.join(dir, `${name}.yaml`);
    fs.writeFileSync(
      file,
      [
        'base:',
        '  task: { kind: cyclic, modulus: 11, trainFraction: 0.5 }',
        '  model: { kind: transformer, dModel: 16, heads: 4, dMlp: 32 }',
        '  train: { steps: 20, evalEvery: 10, shards: 2 }',
        '  probes: [accuracy]',
        `out: ${name}`,
        'grid:',
        `  seed: [${seeds.join(', ')}]`,
        '',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [bin, 'sweep', file, '--workers', '2', '--quiet'], {
      encoding: 'utf8',
      timeout: 120000,
    });
    expect(r.status).toBe(0);
    return seeds.map((s) => manifest(path.join(dir, name, `seed=${s}`)).workers);
  };
  // Three runs on two cores: the first two start together with one core each; the third starts
  // when one ends, while the other may still hold its core: one or two.
  const three = sweep('three', [0, 1, 2]);
  expect(three.slice(0, 2)).toEqual([1, 1]);
  expect([1, 2]).toContain(three[2]);
  expect(sweep('lone', [0])).toEqual([2]);
});
