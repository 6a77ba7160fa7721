import { CYCLIC_OPS, cyclicTask, operationTable, validateCayleyTable } from '../src';

/** The label of residue a ∘ residue b, read through the tokens (mul's tokens are residues − 1). */
function product(op: (typeof CYCLIC_OPS)[number], a: number, b: number, p = 7): number | undefined {
  const t = cyclicTask({ modulus: p, op });
  const r = [...t.cyclic!.residues];
  const c = operationTable(t)[r.indexOf(a)]![r.indexOf(b)]!;
  return c < 0 ? undefined : r[c];
}

describe('Z/7Z, entries computed by hand', () => {
  test('add: 5+4 = 9 ≡ 2, 6+6 = 12 ≡ 5, and the row of 3', () => {
    expect(product('add', 5, 4)).toBe(2);
    expect(product('add', 6, 6)).toBe(5);
    expect(operationTable(cyclicTask({ modulus: 7 }))[3]).toEqual([3, 4, 5, 6, 0, 1, 2]);
  });
  test('sub: 2−5 ≡ 4, 0−1 ≡ 6, and the row of 0', () => {
    expect(product('sub', 2, 5)).toBe(4);
    expect(product('sub', 0, 1)).toBe(6);
    expect(operationTable(cyclicTask({ modulus: 7, op: 'sub' }))[0]).toEqual([0, 6, 5, 4, 3, 2, 1]);
  });
  test('mul over the units 1..6: 3·5 ≡ 1, 6·6 ≡ 1, 2·4 ≡ 1; residue 3 times 1..6', () => {
    const mul = cyclicTask({ modulus: 7, op: 'mul' });
    expect(mul).toMatchObject({ order: 6, vocabSize: 7, equalsToken: 6, numClasses: 6, abelian: true });
    expect(mul.elementLabels).toEqual(['1', '2', '3', '4', '5', '6']);
    expect([...mul.cyclic!.residues]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(mul.examples.label.length).toBe(36);
    expect([product('mul', 3, 5), product('mul', 6, 6), product('mul', 2, 4)]).toEqual([1, 1, 1]);
    expect([1, 2, 3, 4, 5, 6].map((b) => product('mul', 3, b))).toEqual([3, 6, 2, 5, 1, 4]);
  });
  test('div, a in 0..6 and b in 1..6: 3/5 = 3·3 ≡ 2, 1/3 ≡ 5, 6/2 = 3, 0/4 = 0; b = 0 is no example', () => {
    const div = cyclicTask({ modulus: 7, op: 'div' });
    expect(div).toMatchObject({ order: 7, vocabSize: 8, numClasses: 7 });
    expect(div.examples.label.length).toBe(7 * 6);
    expect(div.examples.b.includes(0)).toBe(false);
    expect([product('div', 3, 5), product('div', 1, 3), product('div', 6, 2), product('div', 0, 4)]).toEqual([
      2, 5, 3, 0,
    ]);
    expect(product('div', 3, 0)).toBeUndefined();
  });
  test('polynomial operations', () => {
    expect(product('a2+b2', 3, 5)).toBe(6); // 9+25 = 34
    expect(product('a2+b2', 6, 6)).toBe(2); // 72
    expect(product('a2+ab+b2', 3, 5)).toBe(0); // 9+15+25 = 49
    expect(product('a2+ab+b2', 2, 3)).toBe(5); // 4+6+9 = 19
    expect(product('a2+ab+b2+a', 3, 5)).toBe(3); // 49+3 = 52
    expect(product('a3+ab', 3, 5)).toBe(0); // 27+15 = 42
    expect(product('a3+ab', 1, 3)).toBe(4); // 1+3
    expect(product('a3+ab', 3, 1)).toBe(2); // 27+3 = 30
    expect(product('a3+ab2+b', 3, 5)).toBe(2); // 27+75+5 = 107
    expect(product('a3+ab2+b', 2, 1)).toBe(4); // 8+2+1 = 11
  });
});

describe('Z/7Z, whole-table invariants', () => {
  const p = 7;
  const table = (op: (typeof CYCLIC_OPS)[number]) => operationTable(cyclicTask({ modulus: p, op }));
  const isLatinSquare = (t: number[][]) =>
    t.every((row) => new Set(row).size === row.length) &&
    t.every((_, j) => new Set(t.map((row) => row[j])).size === t.length);

  test('add and mul are commutative Latin squares with identity 0 and 1', () => {
    for (const [op, identityToken] of [
      ['add', 0],
      ['mul', 0],
    ] as const) {
      const t = table(op);
      expect(isLatinSquare(t)).toBe(true);
      t.forEach((row, i) => row.forEach((c, j) => expect(t[j]![i]).toBe(c)));
      expect(t[identityToken]).toEqual([...t.keys()]);
    }
  });
  test('sub undoes add, and div undoes mul', () => {
    const sub = table('sub');
    const div = table('div');
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) expect((sub[a]![b]! + b) % p).toBe(a);
      for (let b = 1; b < p; b++) expect((div[a]![b]! * b) % p).toBe(a);
    }
  });
  test('a²+b² and a²+ab+b² are symmetric; a³+ab is not, yet every task is abelian (the group is)', () => {
    const symmetric = (t: number[][]) => t.every((row, i) => row.every((c, j) => t[j]![i] === c));
    expect(symmetric(table('a2+b2'))).toBe(true);
    expect(symmetric(table('a2+ab+b2'))).toBe(true);
    expect(symmetric(table('a3+ab'))).toBe(false);
    for (const op of CYCLIC_OPS) expect(cyclicTask({ modulus: p, op }).abelian).toBe(true);
  });
  test('every op: labels are element tokens, examples are all pairs (|G|², or p(p−1) for div)', () => {
    for (const op of CYCLIC_OPS) {
      const t = cyclicTask({ modulus: p, op });
      const expected = op === 'div' ? p * (p - 1) : t.order * t.order;
      expect(t.examples.label.length).toBe(expected);
      expect(t.examples.label.every((c) => c >= 0 && c < t.order)).toBe(true);
      expect(t.elementLabels.length).toBe(t.order);
    }
  });
  test('sub is an operation on Z/pZ, not a group operation: its table has no identity', () => {
    expect(() =>
      validateCayleyTable({ elements: cyclicTask({ modulus: p }).elementLabels, table: table('sub') }, 'sub'),
    ).toThrow(/sub: has no identity/);
  });
});

describe('cyclicTask options', () => {
  test('defaults: p = 97, add', () => {
    const t = cyclicTask();
    expect(t).toMatchObject({
      name: 'mod97-add',
      order: 97,
      vocabSize: 98,
      equalsToken: 97,
      numClasses: 97,
      abelian: true,
    });
    expect(t.examples.label.length).toBe(97 * 97);
    expect(t.cyclic!.modulus).toBe(97);
  });
  test.each([
    [91, /task\.modulus: must be a prime ≥ 3, got 91 \(91 = 7·13\); the nearest primes are 89 and 97/],
    [2, /task\.modulus: must be a prime ≥ 3, got 2/],
    [-5, /task\.modulus: must be a prime ≥ 3, got -5/],
    [96.5, /task\.modulus: .*96\.5 is not an integer.*89 and 97/],
    ['97' as unknown as number, /task\.modulus: must be a prime number, got "97"/],
  ])('modulus %p is a named error suggesting primes', (modulus, message) => {
    expect(() => cyclicTask({ modulus })).toThrow(message);
  });
  test.each(['pow', 'toString', '__proto__'])('op %p is a named error listing the choices', (op) => {
    expect(() => cyclicTask({ modulus: 7, op: op as never })).toThrow(
      new RegExp(`task\\.op: unknown operation "${op}"; choose one of add, sub, mul, div`),
    );
  });
});
