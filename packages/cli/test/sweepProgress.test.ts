import { progressLine } from '../src/sweepCommand';

test('progress across a sweep: ended, running, left, and an ETA from the runs trained so far', () => {
  // 56 left and 2 running (counted as half done) at a mean of 90 s, 2 at a time: 57 × 90 / 2 = 2,565 s.
  expect(progressLine(70, 12, 2, [60_000, 120_000], 2)).toBe('      12/70 ended, 2 running, 56 left; ETA ~42m45s');
  // Nothing trained yet (only skipped runs): no ETA rather than a made-up one.
  expect(progressLine(10, 3, 1, [], 2)).toBe('      3/10 ended, 1 running, 6 left');
  expect(progressLine(4, 4, 0, [1000], 2)).toBe('      4/4 ended, 0 running, 0 left');
});
