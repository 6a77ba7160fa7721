import * as path from 'node:path';
import { cyclicTask, describeTask, dihedralTask, symmetricTask, taskFromSpec } from '../src';

describe('taskFromSpec', () => {
  test('each kind builds the task its builder does', () => {
    expect(taskFromSpec({ kind: 'cyclic', modulus: 7, op: 'div' })).toEqual(cyclicTask({ modulus: 7, op: 'div' }));
    expect(taskFromSpec({ kind: 'cyclic' }).name).toBe('mod97-add');
    expect(taskFromSpec({ kind: 'symmetric', n: 3, modulus: undefined, path: undefined }).name).toBe('S3');
    expect(taskFromSpec({ kind: 'symmetric', n: 3 })).toEqual(symmetricTask({ n: 3 }));
    expect(taskFromSpec({ kind: 'dihedral', n: 5 })).toEqual(dihedralTask({ n: 5 }));
    expect(taskFromSpec({ kind: 'cayley', path: path.join(__dirname, 'fixtures', 'z3.json') }).order).toBe(3);
  });
  test('a relative Cayley path is resolved from baseDir', () => {
    expect(taskFromSpec({ kind: 'cayley', path: 'fixtures/z3.csv' }, { baseDir: __dirname }).name).toBe('z3');
  });
  test.each([
    [null, /^task: must be an object such as/],
    [{ modulus: 97 }, /^task\.kind: is missing; choose one of cyclic, symmetric, dihedral, cayley/],
    [{ kind: 'lie' }, /^task\.kind: "lie" is not a task kind; choose one of cyclic, symmetric, dihedral, cayley/],
    [{ kind: 'toString' }, /^task\.kind: "toString" is not a task kind/],
    [
      { kind: 'cyclic', modulo: 97 },
      /^task\.modulo: unknown field; .*\(did you mean "modulus"\?\) \(allowed here: kind, modulus, op, trainFraction, split\)/,
    ],
    [{ kind: 'symmetric', size: 5 }, /^task\.size: unknown field; .*\(allowed here: kind, n, trainFraction, split\)/],
    [{ kind: 'cyclic', modulus: '97' }, /^task\.modulus: got "97"; expected a number/],
    [{ kind: 'cyclic', op: 3 }, /^task\.op: got 3; allowed: "add", "sub"/],
    [{ kind: 'cyclic', op: 'pow' }, /^task\.op: got "pow"; allowed: "add", "sub", "mul", "div"/],
    [{ kind: 'dihedral', n: 2.5 }, /^task\.n: got 2\.5; expected an integer/],
    [{ kind: 'cayley' }, /^task\.path: got nothing \(missing\); expected a string/],
    [{ kind: 'cayley', path: 'nowhere.json' }, /nowhere\.json: cannot be read/],
  ])('%j is a named error', (spec, message) => {
    expect(() => taskFromSpec(spec)).toThrow(message);
  });
});

describe('describeTask', () => {
  test('a cyclic task, as plain JSON without its examples', () => {
    const d = describeTask(cyclicTask({ modulus: 5, op: 'div' }));
    expect(d).toEqual({
      name: 'mod5-div',
      order: 5,
      abelian: true,
      elementLabels: ['0', '1', '2', '3', '4'],
      vocabSize: 6,
      equalsToken: 5,
      numClasses: 5,
      examples: 20,
      cyclic: { modulus: 5, residues: [0, 1, 2, 3, 4] },
    });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
  test('every builder fills every field', () => {
    for (const task of [cyclicTask({ modulus: 5, op: 'mul' }), symmetricTask({ n: 3 }), dihedralTask({ n: 3 })]) {
      const d = describeTask(task);
      expect(d.elementLabels.length).toBe(d.order);
      expect(d).toMatchObject({
        vocabSize: d.order + 1,
        equalsToken: d.order,
        numClasses: d.order,
        examples: d.order * d.order,
      });
    }
    expect(describeTask(cyclicTask({ modulus: 5, op: 'mul' })).cyclic).toEqual({ modulus: 5, residues: [1, 2, 3, 4] });
    expect('cyclic' in describeTask(symmetricTask({ n: 3 }))).toBe(false);
  });
});
