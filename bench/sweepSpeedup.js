// Wall time of a sweep of 2 quick-preset seeds with 2 workers vs 1 worker (one after the
// other). Run on an otherwise idle 2-core machine.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const bin = path.join(__dirname, '../packages/cli/dist/bin.js');
const steps = Number(process.env.SWEEP_BENCH_STEPS ?? 2000);

function timeSweep(workers) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-bench-'));
  const file = path.join(dir, 'sweep.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ base: 'quick', out: path.join(dir, 'out'), grid: { seed: [0, 1], 'train.steps': [steps] } }),
  );
  const t0 = performance.now();
  execFileSync(process.execPath, [bin, 'sweep', file, '--workers', String(workers), '--quiet'], { stdio: 'ignore' });
  const s = (performance.now() - t0) / 1000;
  fs.rmSync(dir, { recursive: true, force: true });
  return s;
}

const one = timeSweep(1);
const two = timeSweep(2);
console.table([
  {
    sweep: `2 quick seeds × ${steps} steps, 1 worker`,
    'wall s': one.toFixed(1),
    'steps/s (all runs)': ((2 * steps) / one).toFixed(0),
  },
  {
    sweep: `2 quick seeds × ${steps} steps, 2 workers`,
    'wall s': two.toFixed(1),
    'steps/s (all runs)': ((2 * steps) / two).toFixed(0),
  },
]);
console.log(`speed-up with 2 workers on ${os.cpus().length} cores: ${(one / two).toFixed(2)}×`);
