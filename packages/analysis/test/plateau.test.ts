import { plateauCriterion, PLATEAU_MAX_SHARE } from '../src/plateau';

const run = (acc: [number, number, number][]) =>
  acc.map(([step, train, test]) => ({ step, wallMs: 0, metrics: { 'accuracy/train': train, 'accuracy/test': test } }));

test('a flat test accuracy that jumps at the end plateaued; a steady climb did not (hand-worked shares)', () => {
  // t_mem 100 (train 1.0, test 0.10), t_grok 500 (test 0.96); midpoint 300.
  const flat = run([
    [0, 0.1, 0.05],
    [100, 1, 0.1],
    [200, 1, 0.11],
    [300, 1, 0.13],
    [400, 1, 0.2],
    [500, 1, 0.96],
  ]);
  const r = plateauCriterion(flat)!;
  expect(r.share).toBeCloseTo((0.13 - 0.1) / (0.96 - 0.1), 12);
  expect(r.plateaued).toBe(true);
  const climb = run([
    [0, 0.1, 0.05],
    [100, 1, 0.1],
    [200, 1, 0.3],
    [300, 1, 0.5],
    [400, 1, 0.7],
    [500, 1, 0.96],
  ]);
  expect(plateauCriterion(climb)!.share).toBeCloseTo(0.4 / 0.86, 12);
  expect(plateauCriterion(climb)!.plateaued).toBe(false);
  expect(PLATEAU_MAX_SHARE).toBe(0.25);
});

test('the midpoint is the first evaluation at or past it; a run that never grokked has no verdict', () => {
  const r = run([
    [0, 0, 0],
    [100, 1, 0.2],
    [250, 1, 0.2],
    [350, 1, 0.6],
    [400, 1, 0.99],
  ]);
  expect(plateauCriterion(r)!.atMid).toBe(0.2); // (100 + 400) / 2 = 250
  expect(
    plateauCriterion(
      run([
        [0, 0, 0],
        [100, 1, 0.2],
        [200, 1, 0.5],
      ]),
    ),
  ).toBeNull();
});
