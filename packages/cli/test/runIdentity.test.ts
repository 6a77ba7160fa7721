/**
 * The CLI, not core, says what a run is: a checkpoint records the identity the CLI computes, and
 * that must stay what core computed before the CLI did — the config less `train.steps` — or runs
 * checkpointed by an earlier grokscope would be refused on resume.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStore } from '@grokscope/core';
import { runIdentity } from '../src/buildTrainer';
import { loadConfig } from '../src/loadConfig';
import { metrics, run, tmp, writeConfig } from './cliHarness';

/** The rule existing checkpoints were written by: the manifest's config, `train.steps` deleted. */
function lessStepCap(config: Record<string, unknown>): unknown {
  const copy = JSON.parse(JSON.stringify(config)) as { train: Record<string, unknown> };
  delete copy.train['steps'];
  return copy;
}

test('a checkpoint stores the config less its step cap, and a longer cap resumes the run', () => {
  const dir = tmp();
  const config = writeConfig(dir, { train: { steps: 20, evalEvery: 10 } });
  const out = path.join(dir, 'run');
  expect(run(['train', '--config', config, '--out', out, '--quiet']).status).toBe(0);
  const store = new RunStore(out);
  type Manifest = { config: Record<string, unknown> };
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
  const stored = store.loadCheckpoint(store.checkpoints()[0]!.path).state['run'] as { config: unknown };
  expect(stored.config).toEqual(lessStepCap(manifest.config));
  const resumed = run(['train', '--config', config, '--steps', '30', '--out', out, '--quiet']);
  expect(resumed.stderr).toBe('');
  expect(resumed.status).toBe(0);
  expect(metrics(out).map((r) => r.step)).toEqual([0, 10, 20, 30]);
});

test('runIdentity is the config less train.steps, whatever the preset', () => {
  for (const preset of ['quick', 'paper']) {
    const config = loadConfig({ preset });
    const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
    expect(asJson(runIdentity(config))).toEqual(lessStepCap(asJson(config)));
  }
});

test('one shard, said or not, is the same run; another shard count is another run', () => {
  const dir = tmp();
  const config = writeConfig(dir, { train: { steps: 20, evalEvery: 10 } });
  const out = path.join(dir, 'run');
  expect(run(['train', '--config', config, '--out', out, '--quiet']).status).toBe(0);
  const same = run(['train', '--config', config, '--set', 'train.shards=1', '--steps', '30', '--out', out, '--quiet']);
  expect(same.stderr).toBe('');
  expect(same.status).toBe(0);
  const other = run(['train', '--config', config, '--set', 'train.shards=2', '--steps', '40', '--out', out, '--quiet']);
  expect(other.status).not.toBe(0);
  expect(other.stderr).toMatch(/shards/);
});
