// One AdamW update of the quick model's 11 parameter tensors (53,696 numbers) on wasm: the fused
// kernel against the tfjs-op chain, alternating, with the kernels each runs (docs/throughput.md
// § A fused optimiser update). Build first (npx tsc -b tsconfig.json).
//
//   node bench/adamUpdate.js [rounds] [updates per round]
const tf = require('@tensorflow/tfjs-core');
const { Adam, useBackend } = require('../packages/core/dist');

const SHAPES = [[32, 64], [3, 64], [64, 64], [64, 64], [64, 64], [64, 64], [64, 256], [256], [256, 64], [64], [64, 31]];
const rounds = Number(process.argv[2] ?? 3);
const updates = Number(process.argv[3] ?? 300);

async function measure(fused) {
  const opt = new Adam({ decoupled: true, lr: 1e-3, beta1: 0.9, beta2: 0.98, weightDecay: 1, fused });
  const params = new Map(SHAPES.map((s, k) => [`p${k}`, tf.variable(tf.randomNormal(s, 0, 1, 'float32', k))]));
  const grads = new Map(SHAPES.map((s, k) => [`p${k}`, tf.randomNormal(s, 0, 1, 'float32', 100 + k)]));
  for (let i = 0; i < 50; i++) opt.apply(params, grads); // warm-up (and the moments)
  const kernels = (await tf.profile(() => opt.apply(params, grads))).kernels.length;
  const t0 = performance.now();
  for (let i = 0; i < updates; i++) opt.apply(params, grads);
  const ms = (performance.now() - t0) / updates;
  opt.dispose();
  tf.dispose([...params.values(), ...grads.values()]);
  return { kernels, ms };
}

(async () => {
  await useBackend('wasm', { threads: 1 });
  const rows = { 'op chain': [], fused: [] };
  let kernels = {};
  for (let r = 0; r < rounds; r++) {
    for (const fused of r % 2 ? [true, false] : [false, true]) {
      const m = await measure(fused);
      const key = fused ? 'fused' : 'op chain';
      rows[key].push(m.ms.toFixed(2));
      kernels[key] = m.kernels;
    }
  }
  for (const key of Object.keys(rows))
    console.log(
      `${key.padEnd(8)}  ${String(kernels[key]).padStart(3)} kernels/update  ms/update: ${rows[key].join(' / ')}`,
    );
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
