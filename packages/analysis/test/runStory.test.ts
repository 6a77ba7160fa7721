import { PAPER_THRESHOLD } from '../src/threshold';
import { runStory } from '../src/runStory';
import { A, B, C } from './fixtures';

test("a grokking run against the paper's H̃*: events, H̃ at t_mem, its minimum, t_cross and the lead", () => {
  expect(PAPER_THRESHOLD).toBe(0.61);
  // A: t_mem 100 (H̃ 0.78), first H̃ ≤ 0.61 after it at 300 (0.55), t_grok 400, lowest H̃ 0.45 at 500.
  expect(runStory(A)).toEqual({
    tMem: 100,
    hAtMem: 0.78,
    hMin: 0.45,
    hMinStep: 500,
    threshold: 0.61,
    thresholdSource: 'paper',
    tCross: 300,
    tGrok: 400,
    lead: 100,
    peakTrain: 1,
    peakTest: 1,
    lastStep: 500,
  });
});

test('a given H̃* is used and named; reaching it counts (≤, as crossingStep)', () => {
  expect(runStory(A, { threshold: 0.7 })).toMatchObject({
    threshold: 0.7,
    thresholdSource: 'given',
    tCross: 200,
    lead: 200,
  });
  expect(runStory(B, { threshold: 0.6 })).toMatchObject({ tMem: 100, tCross: 200, tGrok: 300, lead: 100 });
});

test('crossing only after grokking gives a negative lead; never crossing gives none', () => {
  expect(runStory(A, { threshold: 0.46 })).toMatchObject({ tCross: 500, tGrok: 400, lead: -100 });
  expect(runStory(A, { threshold: 0.4 })).toMatchObject({ tCross: null, lead: null });
});

test('a censored run: no t_grok, no lead, and how far test accuracy got', () => {
  expect(runStory(C)).toEqual({
    tMem: 100,
    hAtMem: 0.75,
    hMin: 0.7,
    hMinStep: 200,
    threshold: 0.61,
    thresholdSource: 'paper',
    tCross: null,
    tGrok: null,
    lead: null,
    peakTrain: 1,
    peakTest: 0.3,
    lastStep: 200,
  });
});

test('the thresholds of the events are configurable; a run never memorised has no t_cross', () => {
  expect(runStory(A, { memorised: 1, grokked: 0.5 })).toMatchObject({
    tMem: 200,
    hAtMem: 0.7,
    tCross: 300,
    tGrok: 300,
    lead: 0,
  });
  expect(runStory(C, { memorised: 1.01 })).toMatchObject({ tMem: null, hAtMem: null, tCross: null });
  expect(runStory([])).toMatchObject({ tMem: null, hMin: null, hMinStep: null, lastStep: null, peakTest: null });
});
