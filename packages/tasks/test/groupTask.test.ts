import { groupTask, MAX_EXAMPLES, operationTable } from '../src';

test('all defined pairs, row-major; -1 leaves a pair out; the task is frozen', () => {
  const t = groupTask({
    name: 'z2',
    labels: ['0', '1'],
    abelian: true,
    op: (a, b) => (b === 1 && a === 1 ? -1 : (a + b) % 2),
  });
  expect([...t.examples.a]).toEqual([0, 0, 1]);
  expect([...t.examples.b]).toEqual([0, 1, 0]);
  expect([...t.examples.label]).toEqual([0, 1, 1]);
  expect(operationTable(t)).toEqual([
    [0, 1],
    [1, -1],
  ]);
  expect(Object.isFrozen(t)).toBe(true);
});

test('an operation giving a non-token is a bug named with its pair; oversized groups are refused', () => {
  expect(() => groupTask({ name: 'bad', labels: ['0', '1'], abelian: true, op: () => 2 })).toThrow(
    /bad: the operation gave 2 for tokens \(0, 0\)/,
  );
  const labels = new Array<string>(Math.ceil(Math.sqrt(MAX_EXAMPLES)) + 1).fill('x');
  expect(() => groupTask({ name: 'huge', labels, abelian: true, op: () => 0 })).toThrow(
    /^task: huge has \d+² = \d+ pairs, more than the 33554432/,
  );
});
