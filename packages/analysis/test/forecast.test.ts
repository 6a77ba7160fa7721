import { analyzeForecast, forecastAt, forecastObservations, onlineForecast } from '../src/forecast';
import { powerLaw } from '../src/powerLaw';
import type { RunRecord } from '../src/runReader';
import { A } from './fixtures';

// Runs that follow ΔT = C1·(H̃ − H̃*)^γ + C2 exactly, with H̃* = 0.5: at step t < t_grok,
// H̃(t) = 0.5 + ((t_grok − t − C2)/C1)^(1/γ) while t_grok − t > C2, and 0.49 (below H̃*) after.
const law = { C1: 20000, gamma: 1.5, C2: 100 };
function lawRun(name: string, tGrok: number): { name: string; records: RunRecord[] } {
  const records: RunRecord[] = [];
  for (let t = 0; t <= tGrok + 200; t += 100) {
    const left = tGrok - t;
    const h = left > law.C2 ? 0.5 + ((left - law.C2) / law.C1) ** (1 / law.gamma) : 0.49;
    records.push({
      step: t,
      wallMs: t,
      metrics: { 'accuracy/train': t >= 100 ? 1 : 0.2, 'accuracy/test': t >= tGrok ? 0.97 : 0.1, 'entropy/Hn': h },
    });
  }
  return { name, records };
}
const runs = [lawRun('r1500', 1500), lawRun('r2000', 2000), lawRun('r2600', 2600)];

test('observations: steps before t_grok with H̃ above H̃*', () => {
  const obs = forecastObservations(runs[1]!.records, 0.5);
  // t_grok − t > C2 = 100 ⇔ t ≤ 1800: steps 0, 100, …, 1800 (19 of them).
  expect(obs.map((o) => o.step)).toEqual(Array.from({ length: 19 }, (_, i) => i * 100));
  expect(obs.every((o) => Math.abs(powerLaw(law, o.x) - o.y) < 1e-9)).toBe(true);
  expect(
    forecastObservations(
      A.filter((r) => r.step < 400),
      0.5,
    ),
  ).toEqual([]); // never grokked: none
});

test('leave-one-run-out on exact data recovers the law and forecasts without error', () => {
  const f = analyzeForecast(runs, {}, 0.5);
  expect(f.threshold).toBe(0.5);
  expect(f.observations).toBe(14 + 19 + 25);
  expect(f.fit!.gamma).toBeCloseTo(1.5, 6);
  expect(f.fit!.C1 / law.C1).toBeCloseTo(1, 6);
  expect(f.fit!.C2).toBeCloseTo(100, 4);
  for (const s of f.leaveOneOut) {
    expect(s.fit!.gamma).toBeCloseTo(1.5, 6);
    expect(s.mape!).toBeLessThan(1e-6);
  }
  // Forecast steps run from 0 to t_grok − 200, so each run's mean lead is (t_grok + 200)/2:
  // 850, 1100 and 1400; the mean over runs is 3350/3.
  expect(f.leaveOneOut.map((s) => s.meanLead)).toEqual([850, 1100, 1400]);
  expect(f.meanLead).toBeCloseTo(3350 / 3, 9);
  expect(f.mape!).toBeLessThan(1e-6);
});

test('with no fixed H̃*, each fold estimates it from the other runs', () => {
  // Every run's lowest H̃ in (t_mem, t_grok] is 0.49, so H̃* = 0.49 in-sample and in every fold.
  const f = analyzeForecast(runs);
  expect(f.threshold).toBe(0.49);
  expect(f.leaveOneOut.map((s) => s.threshold)).toEqual([0.49, 0.49, 0.49]);
  // The steps at H̃ = 0.49 now give x = 0, which is not > 0: still 14 + 19 + 25 observations,
  // each with x larger by 0.01 than against H̃* = 0.5.
  expect(f.observations).toBe(58);
  expect(forecastObservations(runs[0]!.records, 0.49).map((o) => o.x - 0.01)).toEqual(
    forecastObservations(runs[0]!.records, 0.5).map((o) => expect.closeTo(o.x, 12)),
  );
});

test('censored runs give no observations and are not scored', () => {
  const censored = {
    name: 'never',
    records: runs[0]!.records.map((r) => ({ ...r, metrics: { ...r.metrics, 'accuracy/test': 0.1 } })),
  };
  const f = analyzeForecast([...runs, censored], {}, 0.5);
  expect(f.leaveOneOut.map((s) => s.name)).toEqual(['r1500', 'r2000', 'r2600']);
  expect(f.observations).toBe(58);
});

test('too little data gives no fit rather than a wild one', () => {
  const f = analyzeForecast([lawRun('short', 300)], {}, 0.5);
  expect(f.fit).toBeNull(); // 2 observations for 3 parameters
  expect(f.leaveOneOut[0]!.points).toEqual([]);
  expect(f.mape).toBeNull();
});

test('online forecast: t + C1·(H̃ − H̃*)^γ + C2, undefined at or below H̃*', () => {
  expect(forecastAt(1000, 0.6, 0.5, law)).toBeCloseTo(1000 + 20000 * 0.1 ** 1.5 + 100, 9);
  expect(forecastAt(1000, 0.5, 0.5, law)).toBeNull();
  const online = onlineForecast(runs[1]!.records, 0.5, law);
  // On exact data every defined forecast is t_grok itself.
  const defined = online.filter((p) => p.predicted !== null);
  expect(defined).toHaveLength(19);
  for (const p of defined) expect(p.predicted!).toBeCloseTo(2000, 6);
  expect(online.find((p) => p.step === 1900)!.predicted).toBeNull();
});
