// grokscope's step time beside PyTorch's on the same machine, in one run
// (docs/throughput.md): the quick and paper configs, grokscope's wasm backend on 1 and 2 threads,
// PyTorch 1.13 (bench/torchStep.py, the same model and optimiser) on 1 and 2 threads. Ratios are
// against PyTorch's best thread count. Needs Debian's python3-torch (and libopenblas0-pthread,
// without which Debian's torch multiplies with the reference BLAS); without it, the PyTorch
// columns say so. Run on an otherwise idle machine: timings drift between days, ratios less.
//
//   node bench/throughput.js [quick,paper] [1,2]
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const configs = (process.argv[2] ?? 'quick,paper').split(',');
const threads = (process.argv[3] ?? '1,2').split(',').map(Number);

function grokscope(config, n) {
  // One process per thread count: the wasm backend's pool is fixed when it starts.
  const script = `const { timeSteps } = require(${JSON.stringify(path.join(__dirname, 'stepTime.js'))});
    const core = require(${JSON.stringify(path.join(__dirname, '../packages/core/dist'))});
    const { backendThreads } = require(${JSON.stringify(path.join(__dirname, '../packages/core/dist/internal'))});
    core.useBackend('wasm', { threads: ${n} }).then(() => timeSteps(${JSON.stringify(config)})).then((row) => {
      process.stdout.write(JSON.stringify({ ms: Number(row['ms/step (median)']), threads: backendThreads(), peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
    });`;
  const out = JSON.parse(
    execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, GROKSCOPE_THREADS: undefined },
    }),
  );
  if (out.threads !== n) throw new Error(`asked for ${n} wasm threads, got ${out.threads}`);
  return out;
}

function pytorch(config, n) {
  try {
    // OpenBLAS's own threads would multiply with torch's: torch's setting decides alone.
    const out = execFileSync('/usr/bin/python3', [path.join(__dirname, 'torchStep.py'), config, String(n)], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    return { ms: r.msPerStep, peakRssMiB: r.peakRssMiB ?? null };
  } catch {
    return null; // no python3-torch here: the table says so
  }
}

const rows = [];
for (const config of configs) {
  const ours = threads.map((n) => [n, grokscope(config, n)]);
  const theirs = threads.map((n) => [n, pytorch(config, n)]);
  const best = Math.min(...theirs.map(([, r]) => r?.ms ?? Infinity));
  const ourBest = Math.min(...ours.map(([, r]) => r.ms));
  const mib = (r) => (r?.peakRssMiB == null ? '' : r.peakRssMiB.toFixed(0));
  for (const [n, r] of ours) {
    const ms = r.ms;
    rows.push({
      config,
      side: 'grokscope (wasm)',
      threads: n,
      'ms/step': ms.toFixed(1),
      '× PyTorch best': Number.isFinite(best) ? (ms / best).toFixed(2) : 'no PyTorch',
      'speed-up vs 1 thread': (ours[0][1].ms / ms).toFixed(2),
      'peak RSS MiB': mib(r),
    });
  }
  for (const [n, r] of theirs) {
    const ms = r?.ms ?? null;
    rows.push({
      config,
      side: 'PyTorch 1.13 (CPU)',
      threads: n,
      'ms/step': ms === null ? 'not installed' : ms.toFixed(1),
      '× PyTorch best': ms === null ? '' : (ms / best).toFixed(2),
      'speed-up vs 1 thread': ms === null || theirs[0][1] === null ? '' : (theirs[0][1].ms / ms).toFixed(2),
      'peak RSS MiB': mib(r),
    });
  }
  rows.push({
    config,
    side: 'gap: grokscope best / PyTorch best',
    threads: '',
    'ms/step': '',
    '× PyTorch best': Number.isFinite(best) ? (ourBest / best).toFixed(2) : '',
    'speed-up vs 1 thread': '',
    'peak RSS MiB': '',
  });
}
console.table(rows);
