/**
 * The fused Adam/AdamW kernel on wasm (src/backend/wasmAdamKernel.ts) against the tfjs-op chain
 * it replaces (`fused: false`, which runs tfjs-backend-wasm's own Multiply, Add, RealDiv, Sqrt,
 * Square and Sub kernels): after every step the parameters, and at the end the moments, must
 * have the same bytes — not merely close values — including for tiny (subnormal), huge
 * (g² overflows to ∞), zero and negative values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Adam, type AdamOptions, Rng, useBackend } from '../src';
import { ADAM_UPDATE_KERNEL } from '../src/backend/wasmAdamKernel';

beforeAll(async () => {
  await useBackend('wasm');
});

const SHAPES: number[][] = [[7, 5], [64], [3, 4, 5], [1], [0]];

/** Values over float32's whole range: normal, tiny, subnormal, huge, exact zeros of both signs. */
function awkward(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const kind = rng.int(8);
    const sign = rng.int(2) === 0 ? 1 : -1;
    if (kind === 0) out[i] = sign * 0;
    else if (kind === 1)
      out[i] = sign * 10 ** (-45 + 8 * rng.next()); // subnormal or barely normal
    else if (kind === 2)
      out[i] = sign * 10 ** (-20 + 10 * rng.next()); // g² underflows
    else if (kind === 3)
      out[i] = sign * 10 ** (19 + 11 * rng.next()); // g² overflows to ∞
    else out[i] = rng.normal() * 10 ** (rng.int(5) - 2);
  }
  return out;
}

const bits = (t: tf.Tensor) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer);

interface Run {
  readonly opt: Adam;
  readonly params: Map<string, tf.Variable>;
}
function start(opts: AdamOptions, init: Float32Array[]): Run {
  const params = new Map(SHAPES.map((shape, k) => [`p${k}`, tf.variable(tf.tensor(init[k]!, shape, 'float32'))]));
  return { opt: new Adam(opts), params };
}
function stop(run: Run): void {
  run.opt.dispose();
  for (const p of run.params.values()) p.dispose();
}

const CASES: [string, Omit<AdamOptions, 'fused'>][] = [
  ['AdamW, wd 0', { decoupled: true, lr: 1e-3, weightDecay: 0 }],
  ['AdamW, the quick preset (β₂ 0.98, wd 1)', { decoupled: true, lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1 }],
  ['AdamW, large lr and wd', { decoupled: true, lr: 0.3, beta1: 0.8, beta2: 0.9, eps: 1e-6, weightDecay: 0.7 }],
  ['Adam, wd 0', { decoupled: false, lr: 1e-2 }],
  ['Adam with L2, wd 0.5', { decoupled: false, lr: 1e-3, beta2: 0.98, weightDecay: 0.5 }],
];

test.each(CASES)('%s: the fused kernel gives the op chain’s parameters and moments bit for bit', (_name, opts) => {
  const rng = Rng.derive(7, `fused-adam ${_name}`);
  const init = SHAPES.map((s) =>
    awkward(
      rng,
      s.reduce((p, q) => p * q, 1),
    ),
  );
  const fused = start({ ...opts, fused: true }, init);
  const chain = start({ ...opts, fused: false }, init);
  let sawInfinity = false;
  let sawSubnormal = false;
  for (let step = 1; step <= 30; step++) {
    // A schedule's change of lr mid-run (a beforeStep tap) moves stepSize and the decay factor.
    if (step === 15) fused.opt.learningRate = chain.opt.learningRate = opts.lr * 0.37;
    // Step 3's gradients are all zero: the moments decay alone.
    const grads = SHAPES.map((s, k) =>
      tf.tensor(step === 3 ? new Float32Array(init[k]!.length) : awkward(rng, init[k]!.length), s, 'float32'),
    );
    const named = new Map(grads.map((g, k) => [`p${k}`, g]));
    fused.opt.apply(fused.params, named);
    chain.opt.apply(chain.params, named);
    tf.dispose(grads);
    for (const [name, p] of chain.params) {
      const got = fused.params.get(name)!;
      expect([name, step, bits(got)]).toEqual([name, step, bits(p)]);
      const values = p.dataSync();
      expect(values.some((x) => Number.isNaN(x))).toBe(false); // NaN payloads would make bits meaningless
      sawSubnormal ||= values.some((x) => x !== 0 && Math.abs(x) < 1.1754943508222875e-38);
    }
  }
  const fusedSlots = fused.opt.slots();
  const chainSlots = chain.opt.slots();
  expect([...fusedSlots.keys()].sort()).toEqual([...chainSlots.keys()].sort());
  expect(chainSlots.size).toBe(2 * SHAPES.length);
  for (const [key, t] of chainSlots) {
    expect([key, bits(fusedSlots.get(key)!)]).toEqual([key, bits(t)]);
    sawInfinity ||= key.startsWith('v/') && t.dataSync().some((x) => x === Infinity);
  }
  // The awkward values reached the edges they were meant to: ∞ in v and subnormal parameters.
  expect(sawInfinity).toBe(true);
  expect(sawSubnormal).toBe(true);
  stop(fused);
  stop(chain);
});

test('on wasm the fused path runs one kernel per parameter; fused: false runs the op chain', async () => {
  const init = SHAPES.map((s) => new Float32Array(s.reduce((p, q) => p * q, 1)).fill(0.5));
  const kernelsOf = async (fusedOpt: boolean) => {
    const run = start({ decoupled: true, lr: 1e-3, weightDecay: 1, fused: fusedOpt }, init);
    const grads = new Map([...run.params].map(([name, p]) => [name, tf.onesLike(p)]));
    run.opt.apply(run.params, grads); // creates the moments
    const info = await tf.profile(() => run.opt.apply(run.params, grads));
    tf.dispose([...grads.values()]);
    stop(run);
    return info.kernels.map((k) => k.name);
  };
  expect(await kernelsOf(true)).toEqual(new Array<string>(SHAPES.length).fill(ADAM_UPDATE_KERNEL));
  const chain = await kernelsOf(false);
  expect(chain).not.toContain(ADAM_UPDATE_KERNEL);
  expect(chain.filter((k) => k === 'Multiply')).toHaveLength(6 * SHAPES.length);
});

test('the fused update leaks no tensor and no byte across steps', () => {
  const rng = Rng.derive(3, 'fused-adam leak');
  const init = SHAPES.map((s) =>
    awkward(
      rng,
      s.reduce((p, q) => p * q, 1),
    ),
  );
  for (const decoupled of [true, false]) {
    const run = start({ decoupled, lr: 1e-3, weightDecay: 0.5 }, init);
    const counts: [number, number][] = [];
    for (let step = 0; step < 6; step++) {
      const grads = new Map(
        [...run.params].map(([name, p]) => [name, tf.randomNormal(p.shape, 0, 1, 'float32', step)]),
      );
      run.opt.apply(run.params, grads);
      tf.dispose([...grads.values()]);
      counts.push([tf.memory().numTensors, tf.memory().numBytes]);
    }
    // Step 1 adds the moments; after that nothing is added.
    expect(new Set(counts.slice(1).map((c) => c.join())).size).toBe(1);
    stop(run);
  }
});

test('the kernel names a wrong input and how to fix it', () => {
  const a = tf.zeros([2, 3]);
  const b = tf.zeros([3, 2]);
  const ints = tf.zeros([2, 3], 'int32');
  const scalars = {
    beta1: 0.9,
    oneMinusBeta1: 0.1,
    beta2: 0.999,
    oneMinusBeta2: 0.001,
    sqrtC2: 1,
    eps: 1e-8,
    stepSize: 1e-3,
    decayFactor: null,
    l2: null,
  };
  const run = (inputs: Record<string, tf.Tensor>) => () =>
    tf.engine().runKernel(ADAM_UPDATE_KERNEL, inputs, scalars as never);
  expect(run({ param: a, m: a, v: b, grad: a })).toThrow(
    `${ADAM_UPDATE_KERNEL}: "v" has shape [3,2] but the parameter has [2,3]; give every input the parameter's shape`,
  );
  expect(run({ param: a, m: a, v: a, grad: ints })).toThrow(
    `${ADAM_UPDATE_KERNEL}: the input "grad" is int32; the fused update takes float32 tensors only`,
  );
  expect(run({ param: a, m: a, v: a })).toThrow(
    `${ADAM_UPDATE_KERNEL}: the input "grad" is missing; pass param, m, v and grad`,
  );
  tf.dispose([a, b, ints]);
});

test('other backends keep the op chain', async () => {
  await useBackend('cpu');
  try {
    const run = start(
      { decoupled: true, lr: 1e-3, weightDecay: 1 },
      SHAPES.map((s) => new Float32Array(s.reduce((p, q) => p * q, 1)).fill(0.5)),
    );
    const grads = new Map([...run.params].map(([name, p]) => [name, tf.onesLike(p)]));
    const info = await tf.profile(() => run.opt.apply(run.params, grads));
    expect(info.kernels.map((k) => k.name)).not.toContain(ADAM_UPDATE_KERNEL);
    // Step 1: m̂ = g, v̂ = g², so θ = 0.5·(1 − 1e-3) − 1e-3·1/(1 + 1e-8).
    expect(run.params.get('p0')!.dataSync()[0]).toBeCloseTo(0.5 * (1 - 1e-3) - 1e-3, 7);
    tf.dispose([...grads.values()]);
    stop(run);
  } finally {
    await useBackend('wasm');
  }
});
