import * as path from 'node:path';
import { taskConfigSchema, taskConfigSize, taskFromSpec } from '../src';

/** The size told from a config equals the size of the task built from it: order and pair count. */
const fixtures = path.join(__dirname, 'fixtures');
const configs: unknown[] = [
  { kind: 'cyclic', modulus: 31 },
  { kind: 'cyclic', modulus: 31, op: 'mul' },
  { kind: 'cyclic', modulus: 13, op: 'div' },
  { kind: 'cyclic', modulus: 7, op: 'sub' },
  { kind: 'symmetric', n: 4 },
  { kind: 'symmetric', n: 3 },
  { kind: 'dihedral', n: 5 },
  { kind: 'dihedral', n: 16 },
];

test.each(configs)('taskConfigSize(%j) is the size of the task built from it', (raw) => {
  const config = taskConfigSchema.parse(raw);
  const task = taskFromSpec(
    Object.fromEntries(Object.entries(config).filter(([k]) => k !== 'trainFraction' && k !== 'split')),
  );
  expect(taskConfigSize(config)).toEqual({
    name: expect.any(String),
    order: task.order,
    pairs: task.examples.label.length,
  });
});

test('a Cayley table is sized from its header without being built, and matches the built table', () => {
  for (const file of ['z3.csv', 'z3.json']) {
    const config = taskConfigSchema.parse({ kind: 'cayley', path: file });
    const task = taskFromSpec({ kind: 'cayley', path: file }, { baseDir: fixtures });
    expect(taskConfigSize(config, fixtures)).toEqual({
      name: file,
      order: task.order,
      pairs: task.examples.label.length,
    });
  }
});

test('what cannot be told cheaply is null: a modulus that is not prime, a table that cannot be read', () => {
  expect(taskConfigSize(taskConfigSchema.parse({ kind: 'cyclic', modulus: 12 }))).toBeNull();
  expect(taskConfigSize(taskConfigSchema.parse({ kind: 'cayley', path: 'missing.csv' }), fixtures)).toBeNull();
});
