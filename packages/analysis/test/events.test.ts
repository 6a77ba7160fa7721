import { crossingStep, entropySeries, runEvents } from '../src/events';
import type { RunRecord } from '../src/runReader';
import { analyzeThreshold, runMinimum, thresholdFrom } from '../src/threshold';
import { twoPhases } from '../src/twoPhases';
import { A, B, C, recs } from './fixtures';

describe('events', () => {
  test('t_mem and t_grok are the first evaluated steps at or above the thresholds', () => {
    expect(runEvents(A)).toEqual({ tMem: 100, tGrok: 400, censored: false });
    expect(runEvents(B)).toEqual({ tMem: 100, tGrok: 300, censored: false });
  });
  test('a run that never groks is censored, not dropped', () => {
    expect(runEvents(C)).toEqual({ tMem: 100, tGrok: null, censored: true });
  });
  test('thresholds are configurable', () => {
    expect(runEvents(A, { grokked: 0.99 }).tGrok).toBe(500);
    expect(runEvents(A, { memorised: 1 }).tMem).toBe(200);
    expect(runEvents(A, { grokked: 1.01 })).toEqual({ tMem: 100, tGrok: null, censored: true });
  });
  test('records without the tag are skipped, not read as 0 or as a success', () => {
    const gappy: RunRecord[] = [
      { step: 0, wallMs: 0, metrics: { 'accuracy/train': 0.5 } },
      { step: 50, wallMs: 0, metrics: {} },
      { step: 100, wallMs: 0, metrics: { 'accuracy/train': 1, 'accuracy/test': 0.97 } },
    ];
    expect(runEvents(gappy)).toEqual({ tMem: 100, tGrok: 100, censored: false });
  });
  test('t_cross(h) is the first step after t_mem with H̃ at or below h', () => {
    expect(crossingStep(A, 0.6, 100)).toBe(300);
    expect(crossingStep(A, 0.55, 100)).toBe(300); // reaching h counts (see crossingStep)
    expect(crossingStep(A, 0.9, 100)).toBe(200); // step 100 is t_mem itself: strictly after
    expect(crossingStep(A, 0.4, 100)).toBeNull();
    expect(crossingStep(A, 0.9, null)).toBeNull(); // never memorised: no crossing
  });
  test('the entropy tag is configurable', () => {
    const raw = A.map((r) => ({ ...r, metrics: { ...r.metrics, 'entropy/H': r.metrics['entropy/Hn']! * 4 } }));
    expect(crossingStep(raw, 2.4, 100, 'entropy/H')).toBe(300);
    expect(entropySeries(raw, 'entropy/H').map((p) => p.h)).toEqual([3.2, 3.12, 2.8, 2.2, 2, 1.8]);
  });
});

describe('threshold H̃*', () => {
  const runs = [
    { name: 'A', records: A },
    { name: 'B', records: B },
    { name: 'C', records: C },
  ];
  test('m_r is the lowest H̃ after t_mem up to and including t_grok', () => {
    expect(runMinimum(A)).toBe(0.5); // step 400 = t_grok is inside; 0.45 at 500 is not
    expect(runMinimum(B)).toBe(0.6);
    expect(runMinimum(C)).toBeNull();
  });
  test('H̃* = max m_r, with stability, in-sample and leave-one-run-out crossing and lead', () => {
    const t = analyzeThreshold(runs);
    expect(t.threshold).toBe(0.6);
    // m = [0.5, 0.6]: mean 0.55, sd = sqrt(2·0.05²/1) = 0.0707107, cv = 0.0707107/0.55 = 0.128565
    expect(t.minima!.n).toBe(2);
    expect(t.minima!.mean).toBeCloseTo(0.55, 12);
    expect(t.minima!.sd).toBeCloseTo(Math.SQRT2 * 0.05, 12);
    expect(t.minima!.cv).toBeCloseTo((Math.SQRT2 * 0.05) / 0.55, 12);
    // In-sample: A reaches ≤ 0.6 at 300 (lead 400 − 300); B reaches exactly 0.60 at 200 (lead 300 − 200).
    expect(t.inSample.map((r) => [r.name, r.tCross, r.lead, r.crossedBeforeGrok])).toEqual([
      ['A', 300, 100, true],
      ['B', 200, 100, true],
    ]);
    expect(t.crossingShare.inSample).toBe(1);
    expect(t.lead.inSample).toMatchObject({ n: 2, mean: 100, median: 100, min: 100, max: 100 });
    // LOO: A held out → H̃* = m_B = 0.60 → crosses at 300; B held out → H̃* = m_A = 0.50 → B never gets there.
    expect(t.leaveOneOut.map((r) => [r.name, r.threshold, r.tCross, r.lead])).toEqual([
      ['A', 0.6, 300, 100],
      ['B', 0.5, null, null],
    ]);
    expect(t.crossingShare.leaveOneOut).toBe(0.5);
    expect(t.lead.leaveOneOut).toMatchObject({ n: 1, mean: 100 });
    // The censored run is listed with its reason, not silently left out.
    expect(t.unscored).toEqual([{ name: 'C', reason: 'censored (never grokked)' }]);
  });
  test('a quantile rule: the median of [0.5, 0.6] is 0.55', () => {
    const t = analyzeThreshold(runs, { kind: 'quantile', q: 0.5 });
    expect(t.threshold).toBeCloseTo(0.55, 12);
    // A reaches 0.55 at 300; B's lowest is 0.60, so it never does.
    expect(t.inSample.map((r) => r.tCross)).toEqual([300, null]);
    expect(t.crossingShare.inSample).toBe(0.5);
  });
  test('a fixed H̃* is used as given, in-sample and out', () => {
    const t = analyzeThreshold(runs, { kind: 'fixed', value: 0.75 });
    // A: first H̃ ≤ 0.75 after t_mem is 0.70 at 200 → lead 200; B: 0.60 at 200 → lead 100.
    expect(t.inSample.map((r) => r.lead)).toEqual([200, 100]);
    expect(t.leaveOneOut.map((r) => r.threshold)).toEqual([0.75, 0.75]);
    expect(t.lead.inSample).toMatchObject({ mean: 150, median: 150, min: 100, max: 200 });
  });
  test('thresholdFrom', () => {
    expect(thresholdFrom([0.4, 0.7, 0.5])).toBe(0.7);
    expect(thresholdFrom([0.4, 0.7, 0.5], { kind: 'quantile', q: 0.25 })).toBeCloseTo(0.45, 12); // type 7: 0.4 + 0.5·0.1
    expect(thresholdFrom([])).toBeNull();
    expect(() => thresholdFrom([0.4], { kind: 'quantile', q: 1.5 })).toThrow(/q must lie in \[0, 1\]/);
  });
});

describe('two phases', () => {
  test('norm peak and onset of entropy decline, hand-worked', () => {
    // A: norm up to t_grok 400 is 10, 14, 16, 15, 13 → peak at 200. H̃ peaks at step 0 (0.80);
    // lowest after it up to t_grok is 0.50 → range 0.30 → onset = first H̃ ≤ 0.80 − 0.03 = 0.77
    // → 0.70 at 200. Norm first? 200 < 200 is false.
    expect(twoPhases(A)).toEqual({ normPeak: 200, collapseOnset: 200, normFirst: false });
    const early = recs([
      [0, 0, 0, 0.8, 10],
      [100, 1, 0, 0.8, 20],
      [200, 1, 0, 0.6, 18],
      [300, 1, 1, 0.5, 15],
    ]);
    expect(twoPhases(early)).toEqual({ normPeak: 100, collapseOnset: 200, normFirst: true });
  });
  test('the range starts at the pre-collapse maximum, not at an earlier low', () => {
    // H̃ 0.30 → 0.90 → 0.85 → 0.70 (t_grok 300). Peak 0.90 at 100; lowest after it 0.70 →
    // range 0.20 → onset at the first H̃ ≤ 0.88 → 200. (Measured from the 0.30 at step 0 the
    // range would be 0.60 and the onset would move to 300.)
    const rising = recs([
      [0, 0.5, 0, 0.3, 10],
      [100, 1, 0, 0.9, 12],
      [200, 1, 0.5, 0.85, 11],
      [300, 1, 0.96, 0.7, 11],
    ]);
    expect(twoPhases(rising)).toEqual({ normPeak: 100, collapseOnset: 200, normFirst: true });
  });
  test('a censored run is measured over the whole run', () => {
    // C: norm peak 13 at 200; H̃ 0.80 → 0.70, range 0.10 → first ≤ 0.79 is 0.75 at 100.
    expect(twoPhases(C)).toEqual({ normPeak: 200, collapseOnset: 100, normFirst: false });
  });
  test('missing tags give nulls, not guesses', () => {
    const noNorm = A.map((r) => ({
      ...r,
      metrics: { 'accuracy/test': r.metrics['accuracy/test']!, 'entropy/Hn': r.metrics['entropy/Hn']! },
    }));
    expect(twoPhases(noNorm)).toEqual({ normPeak: null, collapseOnset: 200, normFirst: null });
    const flat = recs([
      [0, 1, 0, 0.5, 1],
      [100, 1, 1, 0.5, 2],
    ]);
    expect(twoPhases(flat).collapseOnset).toBeNull();
  });
});
