import * as tf from '@tensorflow/tfjs-core';
import { METRIC_TAGS, Rng, Trainer, useBackend, type Task } from '@grokscope/core';
import { Transformer } from '@grokscope/models';
import { cyclicTask, dihedralTask, symmetricTask } from '@grokscope/tasks';
import { type Irrep, irrepAlignment, irrepsOfTask, irrepsProbe, multiplyMatrices } from '../src';
import { addTask, splitFirst } from './smallTask';

function irrepsOf(task: Task): Irrep[] {
  const found = irrepsOfTask(task);
  if (!('irreps' in found)) throw new Error(found.reason);
  return found.irreps;
}

const groups: [string, Task][] = [
  ['S3', symmetricTask({ n: 3 })],
  ['S4', symmetricTask({ n: 4 })],
  ['S5', symmetricTask({ n: 5 })],
  ['D4', dihedralTask({ n: 4 })],
  ['D5', dihedralTask({ n: 5 })],
  ['D6', dihedralTask({ n: 6 })],
];

describe.each(groups)('the irreps of %s', (name, task) => {
  const irreps = irrepsOf(task);
  const N = task.order;

  test('are named for the group and their dimensions square to its order', () => {
    expect(irrepsOfTask(task)).toMatchObject({ group: name });
    expect(irreps.reduce((s, r) => s + r.dim ** 2, 0)).toBe(N);
    expect(irreps[0]!.matrices.every((m) => m.length === 1 && m[0] === 1)).toBe(true);
  });

  test('are homomorphisms on every pair of the task: ρ(a∘b) = ρ(a)ρ(b)', () => {
    const { a, b, label } = task.examples;
    for (const r of irreps) {
      let worst = 0;
      for (let i = 0; i < label.length; i++) {
        const product = multiplyMatrices(r.matrices[a[i]!]!, r.matrices[b[i]!]!, r.dim);
        product.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - r.matrices[label[i]!]![k]!))));
      }
      expect({ irrep: r.name, exact: worst < 1e-9 }).toEqual({ irrep: r.name, exact: true });
    }
  });

  test('are orthogonal matrices', () => {
    for (const r of irreps)
      for (const m of r.matrices) {
        const d = r.dim;
        const t = Float64Array.from({ length: d * d }, (_, k) => m[(k % d) * d + Math.floor(k / d)]!);
        const identity = (k: number) => (k % (d + 1) === 0 ? 1 : 0);
        multiplyMatrices(m, t, d).forEach((x, k) => expect(Math.abs(x - identity(k))).toBeLessThan(1e-9));
      }
  });

  test('give an orthonormal basis of R^|G| through √(d/|G|)·ρ(g)_ij (Schur: irreducible and distinct)', () => {
    const entry = (r: Irrep, e: number) => r.matrices.map((m) => Math.sqrt(r.dim / N) * m[e]!);
    const basis = irreps.flatMap((r) => [...Array(r.dim * r.dim).keys()].map((e) => entry(r, e)));
    expect(basis).toHaveLength(N);
    for (let u = 0; u < N; u++)
      for (let v = u; v < N; v++) {
        const dot = basis[u]!.reduce((s, x, g) => s + x * basis[v]![g]!, 0);
        expect(Math.abs(dot - (u === v ? 1 : 0))).toBeLessThan(1e-9);
      }
  });

  test("an embedding built from one irrep's matrix entries scores 1 for it and 0 for the others", () => {
    const d = 12;
    const rng = new Rng(3);
    irreps.forEach((r, target) => {
      if (target === 0) return;
      const mix = rng.normalArray(r.dim * r.dim * d);
      const offset = rng.normalArray(d);
      const we = new Float64Array(N * d);
      for (let g = 0; g < N; g++)
        for (let j = 0; j < d; j++) {
          let x = offset[j]!; // a constant column lives in the trivial irrep and is left out
          for (let e = 0; e < r.dim * r.dim; e++) x += r.matrices[g]![e]! * mix[e * d + j]!;
          we[g * d + j] = x;
        }
      const f = irrepAlignment(we, N, d, irreps, 1);
      expect([r.name, f.keyIrreps[0]]).toEqual([r.name, target]);
      expect(f.alignment).toBeCloseTo(1, 9);
      const total = f.energy.reduce((s, e) => s + e, 0) - f.energy[0]!;
      f.energy.forEach((e, i) => i !== 0 && i !== target && expect(e / total).toBeLessThan(1e-12));
      expect(f.chance).toBeCloseTo((r.dim * r.dim) / (N - 1), 12);
    });
  });

  test('a random Gaussian embedding puts about d_ρ²/|G| of its energy in each irrep', () => {
    // Each irrep's energy is a chi-square with d_ρ²·d degrees of freedom: at d = 400 a
    // one-dimensional irrep's share is within 5 standard deviations (√(2/400) ≈ 7%) of d_ρ²/|G|.
    const d = 400;
    const we = new Rng(7).normalArray(N * d);
    const f = irrepAlignment(we, N, d, irreps, 1);
    const total = f.energy.reduce((s, e) => s + e, 0);
    let squared = 0;
    for (let i = 0; i < N * d; i++) squared += we[i]! ** 2;
    expect(total).toBeCloseTo(squared, 6);
    irreps.forEach((r, i) => expect(Math.abs(f.energy[i]! / total / ((r.dim * r.dim) / N) - 1)).toBeLessThan(0.35));
  });
});

test('S_n irreps are the partitions of n, trivial first and sign last, with the hook-length dimensions', () => {
  const s5 = irrepsOf(symmetricTask({ n: 5 }));
  const expected = ['[5]:1', '[4,1]:4', '[3,2]:5', '[3,1,1]:6', '[2,2,1]:5', '[2,1,1,1]:4', '[1,1,1,1,1]:1'];
  expect(s5.map((r) => `${r.name}:${r.dim}`)).toEqual(expected);
});

test('D_n has 2 one-dimensional irreps for odd n, 4 for even n, and ⌊(n−1)/2⌋ two-dimensional ones', () => {
  expect(irrepsOf(dihedralTask({ n: 5 })).map((r) => r.name)).toEqual(['trivial', 'det', 'rot1', 'rot2']);
  const d6 = irrepsOf(dihedralTask({ n: 6 })).map((r) => r.name);
  expect(d6).toEqual(['trivial', 'det', 'parity', 'parity·det', 'rot1', 'rot2']);
});

test('the irreps come only for tasks whose labels compose as their examples do', () => {
  const cyclic = irrepsOfTask(cyclicTask({ modulus: 7 }));
  expect(cyclic).toEqual({ reason: expect.stringMatching(/not a symmetric or dihedral group/) });
  expect(irrepsOfTask(addTask(7))).toEqual({ reason: expect.stringMatching(/no element labels/) });
  const s3 = symmetricTask({ n: 3 });
  // The same labels on a relabelled table: row 1 would be paired with another element's matrices.
  const [l0, l1, l2, ...rest] = s3.elementLabels;
  const swapped = { ...s3, elementLabels: [l0!, l2!, l1!, ...rest] };
  expect(irrepsOfTask(swapped)).toEqual({ reason: expect.stringMatching(/do not compose/) });
});

describe('the irreps probe', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  test("writes the alignment of the model's element embeddings on a symmetric task", async () => {
    const task = symmetricTask({ n: 3 });
    const model = new Transformer(task, { dModel: 16, heads: 4, dMlp: 32 }, 0);
    const split = splitFirst(task, 24);
    const records: Record<string, number>[] = [];
    const t = new Trainer({
      task,
      split,
      model,
      steps: 10,
      evalEvery: 10,
      seed: 0,
      optimizer: { name: 'adamw', lr: 3e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
      plugins: [irrepsProbe({ topK: 2 })],
    });
    t.events.on('evaluation', (r) => records.push({ ...r.metrics }));
    await t.run();
    const last = records[records.length - 1]!;
    const [we, shape] = tf.tidy(() => {
      const e = model.elementEmbeddings!();
      return [e.dataSync(), e.shape] as const;
    });
    const expected = irrepAlignment(we, shape[0], shape[1], irrepsOf(task), 2);
    expect(last[METRIC_TAGS.irrepAlignment]).toBeCloseTo(expected.alignment, 6);
    expect([last['irreps/key1'], last['irreps/key2']]).toEqual(expected.keyIrreps);
    expect(last['irreps/chance']).toBeCloseTo(expected.chance, 9);
    expect(last['irreps/share1']! + last['irreps/share2']!).toBeCloseTo(1, 6);
  });

  test('logs once and writes nothing on a cyclic task', async () => {
    const task = addTask(7);
    const model = new Transformer(task, { dModel: 8, heads: 2, dMlp: 16 }, 0);
    const logs: string[] = [];
    const records: Record<string, number>[] = [];
    const t = new Trainer({
      task,
      split: splitFirst(task, 30),
      model,
      steps: 20,
      evalEvery: 10,
      seed: 0,
      optimizer: { name: 'adamw', lr: 3e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 },
      plugins: [irrepsProbe()],
    });
    t.events.on('evaluation', (r) => records.push({ ...r.metrics }));
    t.events.on('log', (l: { message: string }) => logs.push(l.message));
    await t.run();
    expect(records.length).toBeGreaterThan(1);
    expect(records.every((r) => !Object.keys(r).some((k) => k.startsWith('irreps/')))).toBe(true);
    expect(logs.filter((m) => m.startsWith('irreps probe'))).toHaveLength(1);
  });
});
