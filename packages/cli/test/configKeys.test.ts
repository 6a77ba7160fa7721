/**
 * Where config keys enter (files, --set, sweep files), prototype keys are refused and a setting
 * never silently replaces a section it would empty. Pure logic: runs against src, no binary.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';
import { expandSweep, readSweep } from '../src/expandSweep';
import { loadConfig, readConfigFile, setPath } from '../src/loadConfig';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-keys-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('prototype keys are refused', () => {
  test('in a JSON or YAML config file, at the top level or nested', () => {
    const json = write(
      'proto.json',
      '{"__proto__": {"seed": 3}, "task": {"kind": "cyclic", "modulus": 11}, "model": {"kind": "mlp"}, "train": {"steps": 5}}',
    );
    expect(configError(() => readConfigFile(json)).field).toBe('__proto__');
    expect(configError(() => loadConfig({ file: json })).message).toMatch(
      /^__proto__: "__proto__" is not allowed as a config key \(in .*proto\.json\)/,
    );
    const yaml = write(
      'nested.yaml',
      'task: { kind: cyclic, modulus: 11 }\nmodel: { kind: mlp }\ntrain: { steps: 5 }\nprobes: [{ name: norms, options: { constructor: 1 } }]\n',
    );
    expect(configError(() => readConfigFile(yaml)).field).toBe('probes[0].options.constructor');
  });

  test('in --set paths and values, without touching Object.prototype', () => {
    const err = configError(() => loadConfig({ preset: 'quick', set: ['__proto__.polluted=1'] }));
    expect(err.message).toMatch(/^--set __proto__\.polluted: "__proto__" is not allowed as a config key/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(configError(() => loadConfig({ preset: 'quick', set: ['model.constructor.x=1'] })).field).toBe(
      '--set model.constructor.x',
    );
    expect(configError(() => loadConfig({ preset: 'quick', set: ['task={"__proto__": {"modulus": 5}}'] })).field).toBe(
      'task.__proto__',
    );
    expect(configError(() => setPath({}, 'a.prototype', 1)).field).toBe('a.prototype');
  });

  test('in a sweep file: grid paths and condition names', () => {
    const grid = write('grid.yaml', 'base: quick\ngrid: { task.__proto__.modulus: [5, 7] }\n');
    expect(configError(() => readSweep(grid)).field).toBe('sweep.grid.task.__proto__.modulus');
    const cond = write(
      'cond.yaml',
      'base: quick\ngrid: { condition: [constructor] }\nconditions: { constructor: { seed: 1 } }\n',
    );
    expect(configError(() => readSweep(cond)).field).toBe('conditions.constructor');
    // A grid condition merely named like an Object.prototype member, with no overrides, is an ordinary name.
    const plain = write(
      'plain.yaml',
      'base: quick\ngrid: { condition: [constructor, baseline] }\nconditions: { baseline: { seed: 4 } }\n',
    );
    expect(expandSweep(readSweep(plain)).map((r) => [r.config.condition, r.config.seed])).toEqual([
      ['constructor', 0],
      ['baseline', 4],
    ]);
  });
});

describe('a setting never silently empties a section', () => {
  test('--set train=5 with --steps is refused, naming the --set and what to write instead', () => {
    const err = configError(() => loadConfig({ preset: 'quick', set: ['train=5'], overrides: { 'train.steps': 10 } }));
    expect(err.field).toBe('--set train=5');
    expect(err.message).toMatch(
      /train is a section of fields \(steps, evalEvery, checkpointEvery, batchSize, shards, stopAfterGrokked\), not a single value; set a field inside it instead, e.g\. --set train\.steps=5$/,
    );
    for (const section of ['task', 'model', 'optimizer', 'thresholds']) {
      expect(configError(() => loadConfig({ preset: 'quick', set: [`${section}=1`] })).field).toBe(
        `--set ${section}=1`,
      );
    }
  });

  test('setting a field inside something that is not an object is refused; missing objects are still created', () => {
    expect(configError(() => loadConfig({ preset: 'quick', set: ['probes.0=norms'] })).message).toMatch(
      /^--set probes\.0=norms: probes is \[.*\], not an object, so it has no field "0"; set probes itself instead \(--set probes=…\)$/,
    );
    expect(configError(() => setPath({ a: { b: 2 } }, 'a.b.c', 1)).message).toMatch(
      /^a\.b\.c: a\.b is 2, not an object/,
    );
    const obj: Record<string, unknown> = {};
    setPath(obj, 'optimizer.lr', 0.01);
    expect(obj).toEqual({ optimizer: { lr: 0.01 } });
    // Replacing a section with a whole object is still allowed.
    expect(loadConfig({ preset: 'quick', set: ['train={"steps": 7}'] }).train.steps).toBe(7);
  });
});

describe('a config nested thousands deep is a config error, not a stack overflow', () => {
  const depth = 5000;
  test.each([
    ['JSON', 'deep.json', `{"task":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`],
    ['YAML', 'deep.yaml', `task: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`],
    ['a JSON array', 'deep-array.json', `{"task":${'['.repeat(depth)}${']'.repeat(depth)}}`],
  ])('%s', (_, name, text) => {
    const err = configError(() => readConfigFile(write(name, text)));
    expect(err.message).not.toMatch(/call stack/i);
    expect(err.message).toMatch(/nests more than 64 levels deep/);
  });

  test('YAML deeper than the limit but shallow enough to parse gets the same error', () => {
    const err = configError(() =>
      readConfigFile(write('mid.yaml', `task: ${'{a: '.repeat(100)}1${'}'.repeat(100)}\n`)),
    );
    expect(err.message).toMatch(/nests more than 64 levels deep \(at task\.a/);
  });

  test('the JSON error names the file, the field and the limit', () => {
    const file = write('deep2.json', `{"task":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`);
    const err = configError(() => readConfigFile(file));
    expect(err.field).toBe('task');
    expect(err.message).toMatch(
      new RegExp(
        `nests more than 64 levels deep \\(at task\\.a\\.a\\..*… in ${file.replace(/[.]/g, '\\.')}\\); no config field`,
      ),
    );
  });

  test('a config 10 levels deep is still read', () => {
    expect(() => readConfigFile(write('ten.json', `{"task":${'{"a":'.repeat(10)}1${'}'.repeat(10)}}`))).not.toThrow();
  });
});
