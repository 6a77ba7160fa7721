import * as path from 'node:path';
import {
  compose, cyclicTask, dihedralTask, indexOfPermutation, loadCayleyTable, operationTable, permutationAt,
  splitExamples, symmetricTask, taskFromSpec, validateCayleyTable,
} from '../src';

const fixture = (f: string) => path.join(__dirname, 'fixtures', f);
const tableOf = (t: ReturnType<typeof cyclicTask>) => operationTable(t);

describe('Z/7Z, hand-checked', () => {
  test('add, sub, mul, div', () => {
    expect(tableOf(cyclicTask({ modulus: 7, op: 'add' }))[5]![4]).toBe(2); // 5+4 = 9 ≡ 2
    expect(tableOf(cyclicTask({ modulus: 7, op: 'sub' }))[2]![5]).toBe(4); // 2−5 = −3 ≡ 4
    const mul = cyclicTask({ modulus: 7, op: 'mul' });
    expect(mul.order).toBe(6);
    expect(mul.elementLabels).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(mul.elementLabels[tableOf(mul)[2]![4]!]).toBe('1'); // 3·5 = 15 ≡ 1
    const div = cyclicTask({ modulus: 7, op: 'div' });
    expect(div.examples.label.length).toBe(7 * 6); // b ≠ 0
    expect(tableOf(div)[3]![5]).toBe(2); // 3·5⁻¹ = 3·3 = 9 ≡ 2
    expect(tableOf(div)[3]![0]).toBe(-1);
  });
  test('polynomial operations', () => {
    expect(tableOf(cyclicTask({ modulus: 7, op: 'a2+b2' }))[3]![5]).toBe(6); // 9+25 = 34 ≡ 6
    expect(tableOf(cyclicTask({ modulus: 7, op: 'a2+ab+b2' }))[3]![5]).toBe(0); // 9+15+25 = 49 ≡ 0
    expect(tableOf(cyclicTask({ modulus: 7, op: 'a3+ab' }))[3]![5]).toBe(0); // 27+15 = 42 ≡ 0
  });
  test('add is a Latin square with identity 0; div undoes mul', () => {
    const t = tableOf(cyclicTask({ modulus: 7 }));
    for (let i = 0; i < 7; i++) {
      expect(new Set(t[i]).size).toBe(7);
      expect(new Set(t.map((r) => r[i])).size).toBe(7);
      expect(t[0]![i]).toBe(i);
    }
    const div = tableOf(cyclicTask({ modulus: 7, op: 'div' }));
    for (let a = 0; a < 7; a++) for (let b = 1; b < 7; b++) expect((div[a]![b]! * b) % 7).toBe(a);
  });
  test('describes itself, and a composite modulus is a named error', () => {
    const t = cyclicTask({ modulus: 7 });
    expect(t).toMatchObject({ name: 'mod7-add', order: 7, abelian: true, vocabSize: 8, equalsToken: 7, numClasses: 7 });
    expect([...t.cyclic!.residues]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(() => cyclicTask({ modulus: 91 })).toThrow(/task.modulus: must be a prime ≥ 3, got 91/);
    expect(() => cyclicTask({ modulus: 7, op: 'pow' as never })).toThrow(/task.op: unknown operation "pow"/);
  });
});

test('S3 Cayley table, by hand, lexicographic order and (g∘h)(i) = g(h(i))', () => {
  // Lexicographic: 0 = [0,1,2] e, 1 = [0,2,1], 2 = [1,0,2], 3 = [1,2,0], 4 = [2,0,1], 5 = [2,1,0].
  const s3 = symmetricTask({ n: 3 });
  expect(s3.elementLabels).toEqual(['[0,1,2]', '[0,2,1]', '[1,0,2]', '[1,2,0]', '[2,0,1]', '[2,1,0]']);
  expect(tableOf(s3)).toEqual([
    [0, 1, 2, 3, 4, 5],
    [1, 0, 4, 5, 2, 3],
    [2, 3, 0, 1, 5, 4],
    [3, 2, 5, 4, 0, 1],
    [4, 5, 1, 0, 3, 2],
    [5, 4, 3, 2, 1, 0],
  ]);
  expect(s3.abelian).toBe(false);
});

test('S5 composition of named permutations', () => {
  const cycle = [1, 2, 3, 4, 0]; // i ↦ i+1 mod 5
  const swap01 = [1, 0, 2, 3, 4];
  // (cycle∘swap01)(i) = cycle(swap01(i)): 0→1→2, 1→0→1, 2→3, 3→4, 4→0
  expect(compose(cycle, swap01)).toEqual([2, 1, 3, 4, 0]);
  // (swap01∘cycle)(i): 0→1→0, 1→2, 2→3, 3→4, 4→0→1
  expect(compose(swap01, cycle)).toEqual([0, 2, 3, 4, 1]);
  const s5 = symmetricTask();
  expect(s5.order).toBe(120);
  expect(permutationAt(5, 119)).toEqual([4, 3, 2, 1, 0]);
  const i = indexOfPermutation(cycle);
  const j = indexOfPermutation(swap01);
  expect(permutationAt(5, tableOf(s5)[i]![j]!)).toEqual([2, 1, 3, 4, 0]);
  for (let k = 0; k < 120; k += 7) expect(indexOfPermutation(permutationAt(5, k))).toBe(k);
});

test('D4 Cayley table, by hand (r = quarter turn, s = reflection, s·r = r⁻¹·s)', () => {
  const d4 = dihedralTask({ n: 4 });
  expect(d4.elementLabels).toEqual(['e', 'r1', 'r2', 'r3', 's', 'sr1', 'sr2', 'sr3']);
  expect(tableOf(d4)).toEqual([
    [0, 1, 2, 3, 4, 5, 6, 7],
    [1, 2, 3, 0, 7, 4, 5, 6],
    [2, 3, 0, 1, 6, 7, 4, 5],
    [3, 0, 1, 2, 5, 6, 7, 4],
    [4, 5, 6, 7, 0, 1, 2, 3],
    [5, 6, 7, 4, 3, 0, 1, 2],
    [6, 7, 4, 5, 2, 3, 0, 1],
    [7, 4, 5, 6, 1, 2, 3, 0],
  ]);
});

test('every builder satisfies the group axioms', () => {
  const groups = [cyclicTask({ modulus: 11 }), cyclicTask({ modulus: 11, op: 'mul' }), symmetricTask({ n: 4 }), dihedralTask({ n: 5 })];
  for (const g of groups) expect(() => validateCayleyTable({ elements: g.elementLabels, table: tableOf(g) }, g.name)).not.toThrow();
});

describe('Cayley table files', () => {
  test('JSON and CSV load to the same group', () => {
    const j = loadCayleyTable(fixture('z3.json'));
    const c = loadCayleyTable(fixture('z3.csv'));
    expect(tableOf(j)).toEqual([[0, 1, 2], [1, 2, 0], [2, 0, 1]]);
    expect(tableOf(c)).toEqual(tableOf(j));
    expect(j).toMatchObject({ name: 'z3', order: 3, abelian: true });
    expect(taskFromSpec({ kind: 'cayley', path: fixture('z3.json') }).order).toBe(3);
  });
  test.each([
    ['not-closed.json', /not-closed\.json: not closed: a∘a is not an element/],
    ['no-identity.json', /no-identity\.json: has no identity/],
    ['no-inverse.json', /no-inverse\.json: element "z" has no inverse/],
    ['not-associative.json', /not-associative\.json: not associative: \(a∘b\)∘c = .* for a=a, b=a, c=b/],
    ['ragged.json', /ragged\.json: row of "a" has 1 entries, expected 2/],
    ['malformed.json', /malformed\.json: is not valid JSON/],
    ['missing.json', /missing\.json: cannot read the file/],
  ])('%s is rejected, naming the file and the first violation', (file, message) => {
    expect(() => loadCayleyTable(fixture(file))).toThrow(message);
  });
});

test('splits: seeded, disjoint, covering, of the requested size', () => {
  const s = splitExamples(961, 0.6, 3);
  expect(s.train.length).toBe(577);
  expect(s.test.length).toBe(384);
  expect(new Set([...s.train, ...s.test]).size).toBe(961);
  expect([...s.train]).toEqual([...s.train].sort((a, b) => a - b));
  expect(splitExamples(961, 0.6, 3)).toEqual(s);
  expect(splitExamples(961, 0.6, 4).train).not.toEqual(s.train);
  expect(() => splitExamples(961, 1.2, 0)).toThrow(/task.trainFraction: must be between 0 and 1/);
});

test('taskFromSpec names an unknown kind', () => {
  expect(() => taskFromSpec({ kind: 'lie' } as never)).toThrow(/task.kind: unknown task "lie"/);
});
