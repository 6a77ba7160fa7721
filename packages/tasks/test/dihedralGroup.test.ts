import { compose, dihedralTask, operationTable } from '../src';

test('D4: the Cayley table written out by hand (r a quarter turn, s a reflection, s·r·s = r⁻¹)', () => {
  // e.g. r1·s = s·r⁻¹ = sr3 (token 7); sr1·s = s·r·s = r⁻¹ = r3 (token 3).
  const d4 = dihedralTask({ n: 4 });
  expect(d4.elementLabels).toEqual(['e', 'r1', 'r2', 'r3', 's', 'sr1', 'sr2', 'sr3']);
  expect(operationTable(d4)).toEqual([
    [0, 1, 2, 3, 4, 5, 6, 7],
    [1, 2, 3, 0, 7, 4, 5, 6],
    [2, 3, 0, 1, 6, 7, 4, 5],
    [3, 0, 1, 2, 5, 6, 7, 4],
    [4, 5, 6, 7, 0, 1, 2, 3],
    [5, 6, 7, 4, 3, 0, 1, 2],
    [6, 7, 4, 5, 2, 3, 0, 1],
    [7, 4, 5, 6, 1, 2, 3, 0],
  ]);
  expect(d4).toMatchObject({ name: 'D4', order: 8, abelian: false, vocabSize: 9, numClasses: 8 });
});

test('D_n agrees with the symmetries of the n-gon acting on its vertices (r(v) = v+1, s(v) = −v)', () => {
  for (let n = 3; n <= 7; n++) {
    const mod = (x: number) => ((x % n) + n) % n;
    const vertices = [...Array(n).keys()];
    const asPermutation = (token: number) => vertices.map((v) => (token < n ? mod(v + token) : mod(-(v + token - n)))); // r^k, then s·r^k
    const perms = Array.from({ length: 2 * n }, (_, k) => asPermutation(k).join());
    const t = operationTable(dihedralTask({ n }));
    for (let x = 0; x < 2 * n; x++) {
      for (let y = 0; y < 2 * n; y++) expect(perms[t[x]![y]!]).toBe(compose(asPermutation(x), asPermutation(y)).join());
    }
  }
});

test('n below 3 is a named error', () => {
  expect(() => dihedralTask({ n: 2 })).toThrow(/task\.n: must be an integer ≥ 3 for D_n/);
  expect(dihedralTask().name).toBe('D4');
});
