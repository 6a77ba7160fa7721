// Where a training step's time goes, kernel by kernel: a preset (quick by default) trained for a
// few steps under tf.profile on the default backend, summed per kernel and, for matrix products,
// per shape with the rate each reached. Kernel times are measured synchronously one kernel at a
// time, so their sum is near the step's wall time on wasm (one thread, no overlap).
//   node bench/kernelProfile.js [preset] [steps]        e.g. node bench/kernelProfile.js paper 20
const tf = require('@tensorflow/tfjs-core');
const core = require('../packages/core/dist');
const { buildTrainer, loadConfig } = require('../packages/cli/dist');

/** FLOPs of a BatchMatMul, 2·m·n·k per batch: m and n from its output, k = |a| / (batch·m) whichever way a is transposed. */
function matMulFlops(k) {
  const a = k.inputShapes[0];
  const out = k.outputShapes[0];
  if (!a || !out || out.length < 2) return 0;
  const size = (s) => s.reduce((x, y) => x * y, 1);
  const m = out[out.length - 2];
  const batch = size(out.slice(0, -2));
  return 2 * size(out) * (size(a) / (batch * m));
}

async function kernelProfile(preset = 'quick', steps = 50) {
  const config = loadConfig({ preset, overrides: { 'train.steps': steps, 'train.evalEvery': 1e9 } });
  const trainer = buildTrainer(config, undefined);
  const t0 = performance.now();
  const info = await tf.profile(() => trainer.run());
  const wall = performance.now() - t0;
  trainer.model.dispose();
  trainer.dispose();
  const total = info.kernels.reduce((s, k) => s + k.kernelTimeMs, 0);
  const byName = new Map();
  const byShape = new Map();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += k.kernelTimeMs;
    byName.set(k.name, e);
    if (k.name === 'BatchMatMul') {
      const key = JSON.stringify(k.inputShapes);
      const s = byShape.get(key) ?? { calls: 0, ms: 0, flops: 0 };
      s.calls++;
      s.ms += k.kernelTimeMs;
      s.flops += matMulFlops(k);
      byShape.set(key, s);
    }
  }
  console.log(
    `${preset}: ${steps} steps in ${wall.toFixed(0)} ms (${(wall / steps).toFixed(1)} ms/step under the profiler), ${(info.kernels.length / steps).toFixed(0)} kernels a step, ${(total / steps).toFixed(1)} ms/step in kernels`,
  );
  console.table(
    [...byName]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 15)
      .map(([name, e]) => ({
        kernel: name,
        'calls/step': +(e.calls / steps).toFixed(1),
        'ms/step': +(e.ms / steps).toFixed(2),
        share: `${((100 * e.ms) / total).toFixed(1)}%`,
      })),
  );
  console.table(
    [...byShape]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([shapes, s]) => ({
        'BatchMatMul inputs': shapes,
        'calls/step': +(s.calls / steps).toFixed(1),
        'ms/step': +(s.ms / steps).toFixed(2),
        'GFLOP/s': +(s.flops / s.ms / 1e6).toFixed(1),
      })),
  );
}

module.exports = { kernelProfile };

if (require.main === module) {
  (async () => {
    await core.useBackend('wasm');
    await kernelProfile(process.argv[2] ?? 'quick', Number(process.argv[3] ?? 50));
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
