import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, createOptimizer, useBackend } from '../src';

beforeAll(async () => {
  await useBackend('wasm');
});

const grads = [
  [0.5, -1],
  [0.1, 0.2],
  [-0.3, 0.4],
  [2.0, -0.05],
];

function run(name: 'adamw' | 'adam' | 'sgd', extra: object = {}): number[][] {
  const opt = createOptimizer({ name, lr: 0.1, beta1: 0.9, beta2: 0.98, eps: 1e-8, weightDecay: 0.5, ...extra });
  const theta = tf.variable(tf.tensor1d([1, -2]));
  const params = new Map([['theta', theta]]);
  const out: number[][] = [];
  for (const g of grads) {
    const gt = tf.tensor1d(g);
    opt.apply(params, new Map([['theta', gt]]));
    gt.dispose();
    out.push([...theta.dataSync()]);
  }
  opt.dispose();
  theta.dispose();
  return out;
}

test('AdamW step 1 by hand: m̂ = g and v̂ = g², so the step is lr·sign(g) after decay θ·(1 − lr·wd)', () => {
  const [first] = run('adamw');
  // 1·(1 − 0.1·0.5) − 0.1·sign(0.5) = 0.85;  −2·0.95 − 0.1·sign(−1) = −1.8
  expect(first![0]).toBeCloseTo(0.85, 6);
  expect(first![1]).toBeCloseTo(-1.8, 6);
});

test('AdamW follows the decoupled update θ ← θ − lr·(m̂/(√v̂+ε) + wd·θ) for several steps', () => {
  const lr = 0.1,
    b1 = 0.9,
    b2 = 0.98,
    eps = 1e-8,
    wd = 0.5;
  const theta = [1, -2],
    m = [0, 0],
    v = [0, 0];
  const expected: number[][] = [];
  grads.forEach((g, i) => {
    const t = i + 1;
    for (let j = 0; j < 2; j++) {
      m[j] = b1 * m[j]! + (1 - b1) * g[j]!;
      v[j] = b2 * v[j]! + (1 - b2) * g[j]! ** 2;
      const mh = m[j]! / (1 - b1 ** t),
        vh = v[j]! / (1 - b2 ** t);
      theta[j] = theta[j]! - lr * (mh / (Math.sqrt(vh) + eps) + wd * theta[j]!);
    }
    expected.push([...theta]);
  });
  const got = run('adamw');
  got.forEach((row, i) => row.forEach((x, j) => expect(x).toBeCloseTo(expected[i]![j]!, 5)));
});

test('Adam puts weight decay in the gradient (L2), unlike AdamW', () => {
  // Step 1 with g' = g + wd·θ: 0.5 + 0.5 = 1 → step lr·sign = 0.1 → 0.9;  −1 − 1 = −2 → −1.9
  const [first] = run('adam');
  expect(first![0]).toBeCloseTo(0.9, 6);
  expect(first![1]).toBeCloseTo(-1.9, 6);
});

test('SGD with momentum follows v ← μv + g, θ ← θ − lr·v', () => {
  const got = run('sgd', { weightDecay: 0, momentum: 0.9 });
  // Step 1: v = g → θ = [1 − 0.05, −2 + 0.1];  step 2: v = 0.9·g1 + g2 = [0.55, −0.7].
  expect(got[0]![0]).toBeCloseTo(0.95, 6);
  expect(got[0]![1]).toBeCloseTo(-1.9, 6);
  expect(got[1]![0]).toBeCloseTo(0.95 - 0.055, 6);
  expect(got[1]![1]).toBeCloseTo(-1.9 + 0.07, 6);
});

test('optimiser state round-trips through slots() and load()', () => {
  const opt = createOptimizer({ name: 'adamw', lr: 0.1 });
  const a = tf.variable(tf.tensor1d([1, 2]));
  const params = new Map([['a', a]]);
  const g = tf.tensor1d([0.3, -0.7]);
  opt.apply(params, new Map([['a', g]]));
  const saved = new Map(
    [...opt.slots()].map(([k, t]) => [k, { shape: t.shape, values: t.dataSync() as Float32Array }]),
  );
  const copy = createOptimizer({ name: 'adamw', lr: 0.1 });
  copy.load(opt.iterations, saved);
  const b = tf.variable(a.clone());
  opt.apply(params, new Map([['a', g]]));
  copy.apply(new Map([['a', b]]), new Map([['a', g]]));
  expect([...b.dataSync()]).toEqual([...a.dataSync()]);
  tf.dispose([a, b, g]);
  opt.dispose();
  copy.dispose();
});

test('bad optimiser settings are named errors', () => {
  expect(() => createOptimizer({ name: 'adamw', lr: -1 })).toThrow(
    new ConfigError('optimizer.lr', 'must be a positive number, got -1'),
  );
  expect(() => createOptimizer({ name: 'adamw', lr: 1e-3, beta2: 1 })).toThrow(/optimizer.beta2: must be in \[0, 1\)/);
  expect(() => createOptimizer({ name: 'rmsprop' as 'sgd', lr: 1 })).toThrow(
    /optimizer.name: "rmsprop" is not an optimizer kind; choose one of adamw, adam, sgd/,
  );
});
