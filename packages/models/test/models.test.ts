import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, crossEntropyPerExample, tidyForward, useBackend, type Model } from '@grokscope/core';
import { createModel, Mlp, Transformer } from '../src';

const shape = { vocabSize: 6, numClasses: 5, equalsToken: 5 };
const a = [0, 1, 2, 3, 4, 2, 1];
const b = [4, 3, 2, 1, 0, 0, 1];
const labels = a.map((x, i) => (x + b[i]!) % 5);

beforeAll(async () => {
  await useBackend('wasm');
});

function lossOf(model: Model): tf.Scalar {
  return tf.tidy(() => {
    const out = model.forward({ a: tf.tensor1d(a, 'int32'), b: tf.tensor1d(b, 'int32') });
    return crossEntropy(out.logits, tf.tensor1d(labels, 'int32'));
  });
}

/**
 * Central finite differences in float32 on the three coordinates of each parameter with the
 * largest analytic gradient: relative error ≤ 1e-2. A coordinate whose one-sided differences
 * disagree sits on a ReLU kink, where no derivative exists, and is reported as skipped.
 */
function gradientCheck(model: Model) {
  const { grads } = tf.variableGrads(() => lossOf(model), [...model.params.values()]);
  const h = 2e-3;
  const failures: string[] = [];
  let checked = 0;
  const loss = () => {
    const l = lossOf(model);
    const x = l.dataSync()[0]!;
    l.dispose();
    return x;
  };
  const f0 = loss();
  for (const [name, v] of model.params) {
    const g = grads[v.name]!.dataSync();
    const values = v.dataSync().slice();
    const picks = [...g.keys()].sort((i, j) => Math.abs(g[j]!) - Math.abs(g[i]!)).slice(0, 3);
    for (const k of picks) {
      const at = (delta: number) => {
        const copy = values.slice();
        copy[k] = values[k]! + delta;
        v.assign(tf.tensor(copy, v.shape));
        return loss();
      };
      const [up, down] = [at(h), at(-h)];
      v.assign(tf.tensor(values, v.shape));
      const numeric = (up - down) / (2 * h);
      const analytic = g[k]!;
      if (Math.abs(analytic) < 1e-3) continue; // below float32 finite-difference resolution
      const oneSided = [(up - f0) / h, (f0 - down) / h];
      if (Math.abs(oneSided[0]! - oneSided[1]!) > 0.2 * Math.abs(numeric) + 1e-3) continue; // a kink
      checked++;
      if (Math.abs(numeric - analytic) / Math.max(Math.abs(numeric), Math.abs(analytic)) > 1e-2) {
        failures.push(`${name}[${k}]: analytic ${analytic}, numeric ${numeric}`);
      }
    }
  }
  tf.dispose(grads);
  return { failures, checked };
}

describe('gradients match central finite differences', () => {
  test.each([
    ['transformer (factorised)', () => new Transformer(shape, { dModel: 8, heads: 2, dMlp: 16 }, 1)],
    ['transformer (full)', () => new Transformer(shape, { dModel: 8, heads: 2, dMlp: 16, factorised: false }, 1)],
    [
      'transformer, 2 layers + LayerNorm',
      () => new Transformer(shape, { dModel: 8, heads: 2, dMlp: 16, layers: 2, layerNorm: true }, 1),
    ],
    ['mlp', () => new Mlp(shape, { dEmbed: 6, hidden: [10, 8] }, 1)],
  ])('%s', (_name, make) => {
    const model = make();
    const { failures, checked } = gradientCheck(model);
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(2 * model.params.size);
    model.dispose();
  });
});

test('the factorised 1-layer forward equals the straightforward one, taps included', () => {
  for (const layerNorm of [false, true]) {
    const m = new Transformer(shape, { dModel: 16, heads: 4, dMlp: 32, layerNorm }, 3);
    tf.tidy(() => {
      const batch = { a: tf.tensor1d(a, 'int32'), b: tf.tensor1d(b, 'int32') };
      const taps = new Set(m.tapNames);
      const f = m.forwardFactorised(batch, { taps, transforms: new Map() });
      const s = m.forwardFull(batch, { taps, transforms: new Map() });
      const maxDiff = (x: tf.Tensor, y: tf.Tensor) => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]!;
      expect(maxDiff(f.logits, s.logits)).toBeLessThan(1e-5);
      for (const t of m.tapNames) expect([t, maxDiff(f.taps.get(t)!, s.taps.get(t)!)]).toEqual([t, expect.any(Number)]);
      for (const t of m.tapNames) expect(maxDiff(f.taps.get(t)!, s.taps.get(t)!)).toBeLessThan(1e-5);
    });
    m.dispose();
  }
});

test('taps have the documented widths, and only requested taps are returned', () => {
  const m = new Transformer(shape, { dModel: 16, heads: 4, dMlp: 32 }, 0);
  tf.tidy(() => {
    const batch = { a: tf.tensor1d(a, 'int32'), b: tf.tensor1d(b, 'int32') };
    const all = m.forward(batch, { taps: new Set(m.tapNames), transforms: new Map() });
    expect(Object.fromEntries([...all.taps].map(([k, v]) => [k, v.shape]))).toEqual({
      embed: [7, 32],
      attn_out: [7, 16],
      resid_mid: [7, 16],
      mlp_hidden: [7, 32],
      attn_pattern: [7, 12],
      resid_final: [7, 16],
      'blocks.0.attn_out': [7, 16],
      'blocks.0.resid_mid': [7, 16],
      'blocks.0.mlp_hidden': [7, 32],
      'blocks.0.mlp_out': [7, 16],
      'blocks.0.resid_post': [7, 16],
      'blocks.0.resid': [7, 16],
      'blocks.0.attn_pattern': [7, 12],
      'blocks.0.head.0.attn_out': [7, 16],
      'blocks.0.head.1.attn_out': [7, 16],
      'blocks.0.head.2.attn_out': [7, 16],
      'blocks.0.head.3.attn_out': [7, 16],
    });
    expect(m.forward(batch).taps.size).toBe(0);
    // A transform on resid_final changes what the unembedding reads.
    const zeroed = m.forward(batch, {
      taps: new Set(),
      transforms: new Map([['resid_final', (t: tf.Tensor2D) => tf.zerosLike(t)]]),
    });
    expect(tf.max(tf.abs(zeroed.logits)).dataSync()[0]).toBe(0);
  });
  m.dispose();
});

test('per-block taps of a 2-layer transformer: the bare names are the last block, and the residual stream adds up', () => {
  for (const layerNorm of [false, true]) {
    const m = new Transformer(shape, { dModel: 8, heads: 2, dMlp: 16, layers: 2, layerNorm }, 5);
    tf.tidy(() => {
      const batch = { a: tf.tensor1d(a, 'int32'), b: tf.tensor1d(b, 'int32') };
      const r = m.forward(batch, { taps: new Set(m.tapNames), transforms: new Map() });
      const get = (n: string) => r.taps.get(n)!.arraySync();
      const close = (x: number[][], y: number[][]) =>
        x.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(y[i]![j]!, 5)));
      for (const t of ['attn_out', 'resid_mid', 'mlp_hidden', 'attn_pattern']) close(get(t), get(`blocks.1.${t}`));
      // At `=`, block 1 reads block 0's output: resid_mid(1) = resid_post(0) + attn_out(1); resid_post(0) = resid_mid(0) + MLP(0) ≠ resid_mid(0).
      close(
        get('blocks.1.resid_mid'),
        get('blocks.0.resid_post').map((row, i) => row.map((v, j) => v + get('blocks.1.attn_out')[i]![j]!)),
      );
      if (!layerNorm) close(get('resid_final'), get('blocks.1.resid_post'));
      // Each head's attention weights at `=` are a distribution over a, b, =.
      for (const l of [0, 1])
        for (const row of get(`blocks.${l}.attn_pattern`))
          for (let h = 0; h < 2; h++) expect(row[3 * h]! + row[3 * h + 1]! + row[3 * h + 2]!).toBeCloseTo(1, 5);
      // The heads' shares of each block's attention output add up to it.
      for (const l of [0, 1])
        close(
          get(`blocks.${l}.head.0.attn_out`).map((row, i) =>
            row.map((v, j) => v + get(`blocks.${l}.head.1.attn_out`)[i]![j]!),
          ),
          get(`blocks.${l}.attn_out`),
        );
    });
    expect(m.transformableTaps).not.toContain('blocks.0.resid_mid');
    expect(m.transformableTaps).toContain('blocks.1.resid_mid');
    // A transform on block 1's name is the same as one on the bare name.
    tf.tidy(() => {
      const batch = { a: tf.tensor1d(a, 'int32'), b: tf.tensor1d(b, 'int32') };
      const zero = (t: tf.Tensor2D) => tf.zerosLike(t);
      const viaBlock = m
        .forward(batch, { taps: new Set(), transforms: new Map([['blocks.1.mlp_hidden', zero]]) })
        .logits.dataSync();
      const viaAlias = m
        .forward(batch, { taps: new Set(), transforms: new Map([['mlp_hidden', zero]]) })
        .logits.dataSync();
      expect(Array.from(viaBlock)).toEqual(Array.from(viaAlias));
      expect(() => m.forward(batch, { taps: new Set(), transforms: new Map([['blocks.0.resid_mid', zero]]) })).toThrow(
        /cannot rewrite tap "blocks\.0\.resid_mid"/,
      );
    });
    m.dispose();
  }
});

test('an MLP names each hidden layer; the last is mlp_hidden and resid_final', () => {
  const m = new Mlp(shape, { dEmbed: 6, hidden: [10, 8] }, 1);
  expect(m.tapNames).toEqual(['embed', 'mlp_hidden', 'resid_final', 'blocks.0.mlp_hidden', 'blocks.1.mlp_hidden']);
  tf.tidy(() => {
    const r = m.forward(
      { a: tf.tensor1d(a, 'int32'), b: tf.tensor1d(b, 'int32') },
      { taps: new Set(m.tapNames), transforms: new Map() },
    );
    expect(r.taps.get('blocks.0.mlp_hidden')!.shape).toEqual([7, 10]);
    expect(Array.from(r.taps.get('blocks.1.mlp_hidden')!.dataSync())).toEqual(
      Array.from(r.taps.get('resid_final')!.dataSync()),
    );
  });
  m.dispose();
});

test('initialisation: same seed, same weights; embeddings ~ N(0, 1/d_model)', () => {
  const m1 = new Transformer({ vocabSize: 98, numClasses: 97, equalsToken: 97 }, {}, 7);
  const m2 = new Transformer({ vocabSize: 98, numClasses: 97, equalsToken: 97 }, {}, 7);
  for (const [k, v] of m1.params) expect(m2.params.get(k)!.dataSync()).toEqual(v.dataSync());
  const e = m1.params.get('embed')!.dataSync();
  const variance = Array.from(e).reduce((s, x) => s + x * x, 0) / e.length;
  // 98·128 samples: the variance's relative standard error is √(2/12544) ≈ 1.3%; allow 5%.
  expect(Math.abs(variance * 128 - 1)).toBeLessThan(0.05);
  expect(m1.config).toMatchObject({ dModel: 128, heads: 4, dMlp: 512, layers: 1, layerNorm: false });
  m1.dispose();
  m2.dispose();
});

test('invalid model settings are named errors', () => {
  expect(() => new Transformer(shape, { dModel: 10, heads: 4 }, 0)).toThrow(
    /model.heads: got 4; must divide model.dModel \(10\)/,
  );
  expect(() => new Mlp(shape, { hidden: [] }, 0)).toThrow(/model.hidden: got \[\]; must be a list of at least 1 item/);
  expect(() => createModel(shape, { kind: 'rnn' } as never, 0)).toThrow(
    /model.kind: "rnn" is not a model kind; choose one of transformer, mlp/,
  );
});

describe('float32 cross-entropy stays exact where plain softmax saturates', () => {
  test('matches log-sum-exp computed in float64, including a margin of 40 (p_y rounds to 1 in float32)', () => {
    const logits = [
      [2, 1, 0.5],
      [40, 0, -1],
      [0, 0, 0],
      [-3, 7, 1],
    ];
    const ys = [0, 0, 2, 0];
    // float64 reference: −log p_y = log1p(Σ_{j≠y} e^{l_j − l_y}), summed without cancellation.
    const ref = logits.map((row, i) =>
      Math.log1p(row.reduce((s, x, j) => (j === ys[i] ? s : s + Math.exp(x - row[ys[i]!]!)), 0)),
    );
    const got = tf.tidy(() => crossEntropyPerExample(tf.tensor2d(logits), tf.tensor1d(ys, 'int32')).dataSync());
    got.forEach((x, i) => expect(Math.abs(x - ref[i]!) / Math.max(ref[i]!, 1e-30)).toBeLessThan(1e-4));
    expect(got[1]).toBeGreaterThan(0); // e^-40 + e^-41 ≈ 5.8e-18, not rounded to 0
  });

  test('the gradient for a confidently correct example is small but not zero', () => {
    const g = tf.tidy(() =>
      tf
        .grad((l: tf.Tensor) => crossEntropy(l as tf.Tensor2D, tf.tensor1d([0], 'int32')))(tf.tensor2d([[30, 0, 0]]))
        .dataSync(),
    );
    // d/dl_0 = p_0 − 1 = −2e^-30/(1+2e^-30): −1.87e-13 in float64.
    expect(g[0]).toBeLessThan(0);
    expect(Math.abs(g[0]! + 2 * Math.exp(-30)) / (2 * Math.exp(-30))).toBeLessThan(1e-3);
  });
});

test('no tensor leaks from the forward pass inside tidy', () => {
  const m = new Transformer(shape, { dModel: 16, heads: 4, dMlp: 32 }, 0);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) lossOf(m).dispose();
  expect(tf.memory().numTensors).toBe(before);
  m.dispose();
  // With every per-block tap asked for, kept past tidy and disposed by the caller, the count still comes back.
  for (const layers of [1, 2]) {
    const deep = new Transformer(shape, { dModel: 8, heads: 2, dMlp: 16, layers }, 0);
    const start = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const r = tidyForward(() =>
        deep.forward(
          { a: tf.tensor1d(a, 'int32'), b: tf.tensor1d(b, 'int32') },
          { taps: new Set(deep.tapNames), transforms: new Map() },
        ),
      );
      expect(r.taps.size).toBe(deep.tapNames.length);
      // Aliases (a bare name, `resid` for `resid_post`) share one tensor.
      expect(tf.memory().numTensors).toBe(start + 1 + new Set(r.taps.values()).size);
      tf.dispose([r.logits, ...r.taps.values()]);
      expect(tf.memory().numTensors).toBe(start);
    }
    deep.dispose();
  }
});
