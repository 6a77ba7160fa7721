import { compose, indexOfPermutation, operationTable, permutationAt, symmetricTask } from '../src';

test('S3: the Cayley table written out by hand, (g∘h)(i) = g(h(i)), lexicographic order', () => {
  // 0 = [0,1,2] (identity), 1 = [0,2,1], 2 = [1,0,2], 3 = [1,2,0], 4 = [2,0,1], 5 = [2,1,0].
  // e.g. row 1, column 2: g = [0,2,1], h = [1,0,2]: 0 ↦ g(1) = 2, 1 ↦ g(0) = 0, 2 ↦ g(2) = 1 → [2,0,1] = 4.
  const s3 = symmetricTask({ n: 3 });
  expect(s3.elementLabels).toEqual(['[0,1,2]', '[0,2,1]', '[1,0,2]', '[1,2,0]', '[2,0,1]', '[2,1,0]']);
  expect(operationTable(s3)).toEqual([
    [0, 1, 2, 3, 4, 5],
    [1, 0, 4, 5, 2, 3],
    [2, 3, 0, 1, 5, 4],
    [3, 2, 5, 4, 0, 1],
    [4, 5, 1, 0, 3, 2],
    [5, 4, 3, 2, 1, 0],
  ]);
  expect(s3).toMatchObject({ name: 'S3', order: 6, abelian: false, vocabSize: 7, equalsToken: 6, numClasses: 6 });
  expect(s3.cyclic).toBeUndefined();
});

test('S5: a transposition and a 5-cycle, composed by hand both ways', () => {
  const cycle = [1, 2, 3, 4, 0]; // i ↦ i+1 mod 5
  const swap01 = [1, 0, 2, 3, 4];
  // cycle∘swap01, swap01 first: 0→1→2, 1→0→1, 2→2→3, 3→3→4, 4→4→0.
  const cycleAfterSwap = [2, 1, 3, 4, 0];
  // swap01∘cycle, cycle first: 0→1→0, 1→2→2, 2→3, 3→4, 4→0→1.
  const swapAfterCycle = [0, 2, 3, 4, 1];
  expect(compose(cycle, swap01)).toEqual(cycleAfterSwap);
  expect(compose(swap01, cycle)).toEqual(swapAfterCycle);

  const s5 = symmetricTask();
  expect(s5).toMatchObject({ name: 'S5', order: 120, abelian: false, vocabSize: 121, numClasses: 120 });
  expect(s5.examples.label.length).toBe(14400);
  const t = operationTable(s5);
  const [c, s] = [indexOfPermutation(cycle), indexOfPermutation(swap01)];
  expect(permutationAt(5, t[c]![s]!)).toEqual(cycleAfterSwap);
  expect(permutationAt(5, t[s]![c]!)).toEqual(swapAfterCycle);
  // The 5-cycle has order 5: applying it five times gives the identity, four times its inverse.
  let power = 0;
  for (let k = 0; k < 5; k++) power = t[c]![power]!;
  expect(power).toBe(0);
  expect(permutationAt(5, t[c]![t[c]![t[c]![c]!]!]!)).toEqual([4, 0, 1, 2, 3]);
});

test('lexicographic indexing, by hand', () => {
  expect(permutationAt(5, 0)).toEqual([0, 1, 2, 3, 4]);
  expect(permutationAt(5, 1)).toEqual([0, 1, 2, 4, 3]);
  expect(permutationAt(5, 24)).toEqual([1, 0, 2, 3, 4]); // the first of the 4! = 24 starting with 1
  expect(permutationAt(5, 119)).toEqual([4, 3, 2, 1, 0]);
  expect(indexOfPermutation([1, 2, 3, 4, 0])).toBe(33); // 1·24 + 1·6 + 1·2 + 1·1
  for (let k = 0; k < 120; k++) expect(indexOfPermutation(permutationAt(5, k))).toBe(k);
  const labels = symmetricTask({ n: 4 }).elementLabels;
  expect([...labels].sort()).toEqual(labels);
});

test('bad arguments are named errors', () => {
  expect(() => symmetricTask({ n: 8 })).toThrow(/task\.n: must be an integer from 2 to 7/);
  expect(() => symmetricTask({ n: 1 })).toThrow(/task\.n/);
  expect(() => permutationAt(3, 6)).toThrow(/index must be an integer in 0\.\.5 for n = 3, got 6/);
  expect(() => indexOfPermutation([0, 0, 1])).toThrow(/\[0,0,1\] is not a permutation/);
  expect(() => compose([0, 1], [0, 1, 2])).toThrow(/different sizes/);
  expect(symmetricTask({ n: 2 }).abelian).toBe(true);
});
