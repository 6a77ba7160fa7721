import * as tf from '@tensorflow/tfjs-core';
import { EvalStage, probe, Trainer, useBackend, type Evaluation } from '@grokscope/core';
import { Transformer } from '@grokscope/models';
import { spectralEntropy, spectralEntropyProbe } from '../src';
import { addTask, splitFirst } from './smallTask';

beforeAll(async () => {
  await useBackend('wasm');
});

const task = addTask(5);
const split = splitFirst(task, 15);
const H = 2;

type Mat = number[][];
const matMul = (x: number[], w: Mat) => w[0]!.map((_, j) => x.reduce((s, xi, i) => s + xi * w[i]![j]!, 0));
const add = (x: number[], y: number[]) => x.map((v, i) => v + y[i]!);

/**
 * The Transformer's forward (no LayerNorm) written out for one example in float64: every tap at `=`, by name. Kept
 * apart from the model's tensor code so a tap wired to the wrong tensor shows as a mismatch.
 */
function byHand(w: Map<string, Mat | number[]>, layers: number, a: number, b: number): Map<string, number[]> {
  const m = (n: string) => w.get(n) as Mat;
  const v = (n: string) => w.get(n) as number[];
  const d = m('embed')[0]!.length;
  const dh = d / H;
  const out = new Map<string, number[]>();
  let x = [a, b, task.equalsToken].map((t, p) => add(m('embed')[t]!, m('pos')[p]!));
  for (let l = 0; l < layers; l++) {
    const [q, k, val] = ['q', 'k', 'v'].map((n) => x.map((row) => matMul(row, m(`l${l}.attn.${n}`))));
    const z = x.map(() => new Array<number>(d).fill(0));
    const pattern: number[] = [];
    for (let i = 0; i < 3; i++)
      for (let h = 0; h < H; h++) {
        const cols = Array.from({ length: dh }, (_, c) => h * dh + c);
        // Causal: position i attends to positions 0..i.
        const s = Array.from({ length: i + 1 }, (_, j) => cols.reduce((t, c) => t + q![i]![c]! * k![j]![c]!, 0));
        const e = s.map((si) => Math.exp(si / Math.sqrt(dh) - Math.max(...s) / Math.sqrt(dh)));
        const wts = e.map((ei) => ei / e.reduce((t, u) => t + u, 0));
        for (let j = 0; j <= i; j++) for (const c of cols) z[i]![c]! += wts[j]! * val![j]![c]!;
        if (i === 2) pattern.push(...wts);
      }
    const attn = z.map((row) => matMul(row, m(`l${l}.attn.o`)));
    // Head h's share: its columns of z through its rows of W_O.
    for (let h = 0; h < H; h++) {
      const rows = Array.from({ length: dh }, (_, c) => h * dh + c);
      const share = rows.reduce(
        (acc, c) => acc.map((u, j) => u + z[2]![c]! * m(`l${l}.attn.o`)[c]![j]!),
        new Array<number>(d).fill(0),
      );
      out.set(`blocks.${l}.head.${h}.attn_out`, share);
    }
    x = x.map((row, i) => add(row, attn[i]!));
    const hidden = x.map((row) =>
      add(matMul(row, m(`l${l}.mlp.in`)), v(`l${l}.mlp.inBias`)).map((u) => Math.max(u, 0)),
    );
    const mlp = hidden.map((row) => add(matMul(row, m(`l${l}.mlp.out`)), v(`l${l}.mlp.outBias`)));
    x = x.map((row, i) => add(row, mlp[i]!));
    out.set(`blocks.${l}.attn_out`, attn[2]!);
    out.set(`blocks.${l}.attn_pattern`, pattern);
    out.set(`blocks.${l}.mlp_hidden`, hidden[2]!);
    out.set(`blocks.${l}.mlp_out`, mlp[2]!);
    out.set(`blocks.${l}.resid`, x[2]!);
  }
  return out;
}

describe('a multi-tap spectral-entropy probe reads each layer of the Transformer', () => {
  // 1 layer runs the factorised forward, 2 layers the full one: both must tap the same tensors.
  test.each([1, 2])('%i layer(s), d_model 4, against the forward written out by hand', async (layers) => {
    const tapsOf = (l: number) =>
      ['resid', 'attn_out', 'mlp_out', 'mlp_hidden', 'attn_pattern', 'head.0.attn_out', 'head.1.attn_out'].map(
        (t) => `blocks.${l}.${t}`,
      );
    const taps = Array.from({ length: layers }, (_, l) => tapsOf(l)).flat();
    const model = new Transformer(task, { dModel: 4, heads: H, dMlp: 8, layers }, 3);
    let checked = 0;
    const counts: number[] = [];
    // After the entropy probe: compares its metrics and the tapped tensors with the hand-computed forward.
    const check = probe(
      'check-by-hand',
      (ev: Evaluation) => {
        const w = new Map([...model.params].map(([n, p]) => [n, p.arraySync() as Mat | number[]]));
        const hand = Array.from(task.examples.a, (a, i) => byHand(w, layers, a, task.examples.b[i]!));
        const got = ev.forward('all', taps).taps;
        for (const tap of taps) {
          const rows = hand.map((r) => r.get(tap)!);
          const tapped = got.get(tap)!.arraySync();
          expect(tapped.length).toBe(rows.length);
          let worst = 0;
          rows.forEach((row, i) => row.forEach((u, j) => (worst = Math.max(worst, Math.abs(u - tapped[i]![j]!)))));
          expect({ tap, worst: worst < 1e-6 }).toEqual({ tap, worst: true });
          // The probe's H̃ of each tap is the spectral entropy of the hand-computed matrix.
          const hn = spectralEntropy(rows.flat(), rows.length, rows[0]!.length).Hn;
          expect(ev.metrics[`layers/${tap}/Hn`]).toBeCloseTo(hn, 5);
        }
        // A default probe beside it keeps its bare tags: resid_final is the last block's stream (no LayerNorm).
        const final = hand.map((r) => r.get(`blocks.${layers - 1}.resid`)!);
        expect(ev.metrics['entropy/Hn']).toBeCloseTo(spectralEntropy(final.flat(), final.length, 4).Hn, 5);
        expect(Object.keys(ev.metrics).filter((k) => k.startsWith('entropy/resid_final'))).toEqual([]);
        checked++;
      },
      { stage: EvalStage.derive },
    );
    const trainer = new Trainer({
      task,
      split,
      model,
      steps: 30,
      evalEvery: 10,
      seed: 0,
      optimizer: { name: 'adamw', lr: 3e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
      plugins: [spectralEntropyProbe({ taps, tag: 'layers' }), spectralEntropyProbe(), check],
    });
    // With every tap requested at each evaluation, the live tensor count must not grow.
    trainer.events.on('evaluation', () => counts.push(tf.memory().numTensors));
    await trainer.run();
    expect(checked).toBe(4);
    expect(new Set(counts.slice(1)).size).toBe(1);
    model.dispose();
  });
});

test('tap and taps together are refused', () => {
  expect(() => spectralEntropyProbe({ tap: 'resid_final', taps: ['blocks.0.resid'] })).toThrow(/tap or taps/);
});
