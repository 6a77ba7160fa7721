/**
 * The CLI's pure logic against its sources (no built binary, no training): grid expansion,
 * sharding and config merging, each against a hand-worked answer or an invariant.
 */
import { ConfigError } from '@grokscope/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandSweep, parseShard, type PlannedRun, readSweep, shardRuns } from '../src/expandSweep';
import { planRun } from '../src/buildTrainer';
import { mergeConfig } from '../src/loadConfig';
import { runOrder } from '../src/runOrder';

const out = '/sweeps/x';
const spec = (grid: Record<string, unknown[]>, conditions?: Record<string, Record<string, unknown>>) => ({
  base: 'quick',
  out,
  grid,
  conditions,
});

test('the grid expands first key slowest, with stable names, directories and per-condition overrides', () => {
  const runs = expandSweep(
    spec({ seed: [0, 1], condition: ['baseline', 'wide'] }, { wide: { model: { dModel: 128 } } }),
  );
  expect(runs.map((r) => r.name)).toEqual([
    'seed=0,condition=baseline',
    'seed=0,condition=wide',
    'seed=1,condition=baseline',
    'seed=1,condition=wide',
  ]);
  expect(runs.map((r) => r.dir)).toEqual(runs.map((r) => `${out}/${r.name}`));
  expect(runs.map((r) => [r.config.seed, r.config.condition, (r.config.model as { dModel?: number }).dModel])).toEqual([
    [0, 'baseline', 64],
    [0, 'wide', 128],
    [1, 'baseline', 64],
    [1, 'wide', 128],
  ]);
});

test('a {run:…} reference becomes the other run’s directory and a dependency', () => {
  const runs = expandSweep(
    spec(
      { seed: [0, 1], condition: ['entropy-floor', 'norm-matched'] },
      {
        'norm-matched': {
          interventions: [{ name: 'norm-matched', options: { reference: '{run:condition=entropy-floor}' } }],
        },
      },
    ),
  );
  const nm = runs.find((r) => r.name === 'seed=1,condition=norm-matched')!;
  expect(nm.dependsOn).toEqual(['seed=1,condition=entropy-floor']);
  expect(JSON.stringify(nm.config)).toContain(`${out}/seed=1,condition=entropy-floor`);
  expect(() => expandSweep(spec({ seed: [0], condition: ['a'] }, { a: { name: '{run:condition=b}' } }))).toThrow(
    ConfigError,
  );
});

const planned = (name: string, dependsOn: string[] = []): PlannedRun => ({
  name,
  dir: `${out}/${name}`,
  config: {} as PlannedRun['config'],
  dependsOn,
});

test('workers take referenced runs first, then the runs referencing them, then the rest, each in grid order', () => {
  // Two seeds of (a, ef, nm → ef of the same seed, b); a chain c → d → e on the side; f references a run outside the list.
  const runs = [
    planned('0a'),
    planned('0ef'),
    planned('0nm', ['0ef']),
    planned('0b'),
    planned('1a'),
    planned('1ef'),
    planned('1nm', ['1ef']),
    planned('1b'),
    planned('c', ['d']),
    planned('d', ['e']),
    planned('e'),
    planned('f', ['elsewhere']),
  ];
  expect(runOrder(runs).map((r) => r.name)).toEqual([
    '0ef',
    '1ef',
    'd',
    'e',
    '0nm',
    '1nm',
    'c',
    'f',
    '0a',
    '0b',
    '1a',
    '1b',
  ]);
  expect(runs.map((r) => r.name)[0]).toBe('0a'); // the list given is left as it was
  expect(runOrder([])).toEqual([]);
});

test('shards partition the runs, keep dependent runs together and deal groups round-robin by name', () => {
  const runs = [planned('a'), planned('b', ['a']), planned('c'), planned('d'), planned('e', ['d']), planned('f')];
  // Groups by first name: {a,b}, {c}, {d,e}, {f} → shard 0 of 2 gets groups 0 and 2, shard 1 gets 1 and 3.
  expect(shardRuns(runs, 0, 2).map((r) => r.name)).toEqual(['a', 'b', 'd', 'e']);
  expect(shardRuns(runs, 1, 2).map((r) => r.name)).toEqual(['c', 'f']);
  for (const n of [1, 3, 4, 7]) {
    const all = Array.from({ length: n }, (_, i) => shardRuns(runs, i, n).map((r) => r.name)).flat();
    expect(all.sort()).toEqual(runs.map((r) => r.name)); // every run exactly once
  }
  expect(parseShard(' 2/5 ')).toEqual([2, 5]);
  expect(() => parseShard('2-5')).toThrow(ConfigError);
  expect(() => shardRuns(runs, 2, 2)).toThrow(/0 ≤ i < n/);
});

test('config merging: objects merge, a task of another kind starts afresh but keeps its split, another optimiser brings its own settings', () => {
  const quick = {
    task: { kind: 'cyclic', modulus: 31, op: 'add', trainFraction: 0.6 },
    optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 1 },
    train: { steps: 5000, evalEvery: 50 },
  };
  expect(mergeConfig(quick, { train: { steps: 100 } }).train).toEqual({ steps: 100, evalEvery: 50 });
  expect(mergeConfig(quick, { task: { kind: 'symmetric', n: 4 } }).task).toEqual({
    kind: 'symmetric',
    n: 4,
    trainFraction: 0.6,
  });
  expect(mergeConfig(quick, { task: { modulus: 47 } }).task).toEqual({
    kind: 'cyclic',
    modulus: 47,
    op: 'add',
    trainFraction: 0.6,
  });
  expect(mergeConfig(quick, { optimizer: { name: 'sgd', lr: 0.1 } }).optimizer).toEqual({ name: 'sgd', lr: 0.1 });
  expect(mergeConfig(quick, { optimizer: { lr: 3e-3 } }).optimizer).toEqual({
    name: 'adamw',
    lr: 3e-3,
    weightDecay: 1,
  });
  expect(quick.task.modulus).toBe(31); // the inputs are not changed
});

test('task.split: unordered reaches the run plan, survives a change of task kind, and comes from the quick preset', () => {
  const runs = expandSweep(
    spec(
      { seed: [3], condition: ['baseline', 's4', 'plain'] },
      {
        baseline: { task: { split: 'unordered', trainFraction: 0.8 } },
        s4: { task: { split: 'unordered', kind: 'symmetric', n: 4 } },
      },
    ),
  );
  const [baseline, s4, plain] = runs.map(
    (r) => r.config.task as { kind: string; split?: string; trainFraction: number },
  );
  expect(baseline).toMatchObject({ kind: 'cyclic', split: 'unordered', trainFraction: 0.8 });
  expect(s4).toMatchObject({ kind: 'symmetric', n: 4, split: 'unordered', trainFraction: 0.5 }); // kept the quick preset's fraction
  expect(plain!.split).toBe('unordered'); // the quick preset's own split
  const { task, split } = planRun(runs[0]!.config);
  const inTrain = new Set([...split.train].map((i) => `${task.examples.a[i]},${task.examples.b[i]}`));
  for (const i of split.test) expect(inTrain.has(`${task.examples.b[i]},${task.examples.a[i]}`)).toBe(false);
  expect(() => expandSweep(spec({ seed: [0], condition: ['x'] }, { x: { task: { split: 'sideways' } } }))).toThrow(
    /task\.split/,
  );
});

test('a base config object or file fills in the rest from the quick preset, as train --config does', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sweep-base-'));
  try {
    fs.writeFileSync(path.join(dir, 'only-steps.yaml'), 'train: { steps: 100 }\nmodel: { dModel: 32 }\n');
    const object = 'base: { train: { steps: 100 }, model: { dModel: 32 } }\ngrid: { seed: [0] }\n';
    fs.writeFileSync(path.join(dir, 'object.yaml'), object);
    fs.writeFileSync(path.join(dir, 'file.yaml'), 'base: ./only-steps.yaml\ngrid: { seed: [0] }\n');
    for (const f of ['object.yaml', 'file.yaml']) {
      const [r] = expandSweep(readSweep(path.join(dir, f)));
      const c = r!.config as unknown as Record<string, Record<string, unknown>>;
      const [model, train] = [c['model']!, c['train']!];
      expect([f, c['task'], model['dModel'], model['dMlp'], train['steps'], train['evalEvery']]).toEqual([
        f,
        expect.objectContaining({ kind: 'cyclic', modulus: 97, op: 'add', trainFraction: 0.5, split: 'unordered' }),
        32,
        256,
        100,
        50,
      ]);
      expect(c['name']).not.toBe('quick'); // the runs are not the quick preset
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
