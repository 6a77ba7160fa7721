import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planRun } from '../src/buildTrainer';
import { loadConfig, mergeConfig } from '../src/loadConfig';
import { validateConfig } from '../src/validateConfig';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'module-entries-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), body);
// Z/3 addition written by hand: 9 pairs, label (a + b) mod 3.
write(
  'z3.js',
  `exports.z3 = (o) => { const a = [], b = [], label = []; for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) { a.push(i); b.push(j); label.push((i + j + (o.shift ?? 0)) % 3); }
  return { name: 'z3', order: 3, abelian: true, elementLabels: ['0','1','2'], vocabSize: 4, equalsToken: 3, numClasses: 3, examples: { a: Int32Array.from(a), b: Int32Array.from(b), label: Int32Array.from(label) } }; };
exports.badLabels = () => ({ ...exports.z3({}), numClasses: 2 });
exports.notAFactory = 5;`,
);
const base = { model: { kind: 'transformer', dModel: 8, heads: 2, dMlp: 8 }, train: { steps: 1 }, probes: [] };
const plan = (task: object) => planRun(validateConfig({ ...base, task }), dir);

test('a task module is called with its options and split like a built-in', () => {
  const p = plan({ module: './z3.js', export: 'z3', options: { shift: 1 }, trainFraction: 0.5 });
  expect(Array.from(p.task.examples.label)).toEqual([1, 2, 0, 2, 0, 1, 0, 1, 2]);
  expect(p.split.train.length + p.split.test.length).toBe(9);
  expect(p.split.train.length).toBe(5); // round(0.5 · 9)
});

test('a module that is missing, lacks the export, is no factory or returns a broken task is named', () => {
  expect(() => plan({ module: './nope.js' })).toThrow(/^task\.module: cannot load "\.\/nope\.js"/);
  expect(() => plan({ module: './z3.js', export: 'z4' })).toThrow(
    /task\.export: "\.\/z3\.js" has no export "z4"; its exports: z3, badLabels, notAFactory/,
  );
  expect(() => plan({ module: './z3.js', export: 'notAFactory' })).toThrow(
    /task\.export: module \.\/z3\.js \(export notAFactory\) is a number, not a factory/,
  );
  expect(() => plan({ module: './z3.js', export: 'badLabels' })).toThrow(
    /task\.export: .* examples\.label\[2\] is 2, outside 0\.\.numClasses−1 \(1\)/,
  );
});

test('a model or optimiser module that does not load fails before training, naming its field', () => {
  expect(() =>
    planRun(validateConfig({ ...base, task: { kind: 'cyclic', modulus: 5 }, model: { module: './nope.js' } }), dir),
  ).toThrow(/^model\.module: cannot load/);
  expect(() =>
    planRun(
      validateConfig({
        ...base,
        task: { kind: 'cyclic', modulus: 5 },
        optimizer: { module: './z3.js', export: 'notAFactory' },
      }),
      dir,
    ),
  ).toThrow(/^optimizer\.export: .* not a factory/);
});

test('a config file switching a preset built-in to a module starts the section afresh, keeping trainFraction', () => {
  const merged = mergeConfig(
    { task: { kind: 'cyclic', modulus: 31, trainFraction: 0.6 }, optimizer: { name: 'adamw', lr: 0.001 } },
    { task: { module: './z3.js' }, optimizer: { module: './opt.js' } },
  );
  expect(merged).toEqual({ task: { module: './z3.js', trainFraction: 0.6 }, optimizer: { module: './opt.js' } });
  const file = path.join(dir, 'run.json');
  fs.writeFileSync(file, JSON.stringify({ task: { module: './z3.js', export: 'z3' } }));
  const config = loadConfig({ preset: 'quick', file });
  // The relative module is resolved from the config file's folder, so it means the same from any cwd.
  expect(config.task).toEqual({
    module: path.join(dir, 'z3.js'),
    export: 'z3',
    options: {},
    trainFraction: 0.5,
    split: 'unordered',
  });
});
