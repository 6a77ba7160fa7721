// Share of wall time spent in each probe and intervention, from the trainer's per-tap timings
// (every tap is timed by the interceptor in core), on the quick preset for a fixed number of steps.
const core = require('../packages/core/dist');
const { buildTrainer, loadConfig } = require('../packages/cli/dist');

async function probeCost(steps = 500, extra = []) {
  const config = loadConfig({ preset: 'quick', overrides: { 'train.steps': steps }, set: extra });
  const trainer = buildTrainer(config, undefined);
  const t0 = performance.now();
  await trainer.run();
  const total = performance.now() - t0;
  const rows = [...trainer.timings]
    .filter(([k]) => !k.startsWith('setup:'))
    .map(([k, t]) => ({
      'hook:plugin': k,
      calls: t.calls,
      'ms total': t.ms.toFixed(0),
      'ms/call': (t.ms / t.calls).toFixed(2),
      'share of wall': `${((100 * t.ms) / total).toFixed(1)}%`,
    }));
  rows.push({
    'hook:plugin': '(whole run)',
    calls: steps,
    'ms total': total.toFixed(0),
    'ms/call': (total / steps).toFixed(2),
    'share of wall': '100%',
  });
  trainer.model.dispose();
  trainer.dispose();
  return rows;
}

module.exports = { probeCost };

if (require.main === module) {
  (async () => {
    await core.useBackend('wasm');
    console.log('quick preset, 500 steps, default probes (evaluate every 50 steps):');
    console.table(await probeCost(500));
    console.log('quick preset, 500 steps, with the entropy-floor regulariser (runs every step):');
    console.table(await probeCost(500, ['interventions=[{"name":"entropy-floor","options":{"floor":0.8}}]']));
  })();
}
