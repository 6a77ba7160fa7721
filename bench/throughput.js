// grokscope's step time beside PyTorch's on the same machine, in one run
// (docs/throughput.md): the quick and paper configs; grokscope's wasm backend on 1 and 2 wasm
// threads (one shard) and data-parallel on 1 to N workers (N shards: the trainer's thread and
// N − 1 shard workers, one wasm thread each); PyTorch 1.13 (bench/torchStep.py, the same model and
// optimiser) on 1 and 2 threads. Ratios are against PyTorch's best thread count and against
// grokscope's one-thread, one-shard step. The ceiling rows run N one-thread runs at once, in
// separate processes: what the machine gives N-way parallelism, the floor for a data-parallel
// step. Needs Debian's python3-torch (and libopenblas0-pthread, without which Debian's torch
// multiplies with the reference BLAS); without it, the PyTorch columns say so. Run on an otherwise idle machine: timings drift between days, ratios less.
//
//   node bench/throughput.js [quick,paper] [1,2]        (the second list: threads, and workers)
const { execFile, execFileSync } = require('node:child_process');
const path = require('node:path');

const configs = (process.argv[2] ?? 'quick,paper').split(',');
const counts = (process.argv[3] ?? '1,2').split(',').map(Number);

/** One process per row: the wasm backend's pool is fixed when it starts, and each row's peak RSS is its own. */
function grokscope(config, options) {
  const out = JSON.parse(execFileSync(process.execPath, ['-e', stepScript(config, options)], childOptions));
  if (out.threads !== (options.threads ?? 1))
    throw new Error(`asked for ${options.threads} wasm threads, got ${out.threads}`);
  return out;
}

/**
 * The machine's own ceiling for n-way parallelism: n one-thread, one-shard runs at once, each in
 * its own process sharing nothing. Their mean step over n is the best an n-way split of one step
 * could reach here (two vCPUs need not do twice one's work: shared caches, memory, a host's SMT).
 */
async function ceiling(config, n) {
  const one = () =>
    new Promise((resolve, reject) =>
      execFile(process.execPath, ['-e', stepScript(config, {})], childOptions, (err, stdout) =>
        err ? reject(err) : resolve(JSON.parse(stdout).ms),
      ),
    );
  const ms = await Promise.all(Array.from({ length: n }, one));
  return ms.reduce((a, b) => a + b, 0) / ms.length / n;
}

const childOptions = { encoding: 'utf8', env: { ...process.env, GROKSCOPE_THREADS: undefined } };

function stepScript(config, { threads = 1, shards = 1, workers = 1 }) {
  return `const { timeSteps } = require(${JSON.stringify(path.join(__dirname, 'stepTime.js'))});
    const core = require(${JSON.stringify(path.join(__dirname, '../packages/core/dist'))});
    const { backendThreads } = require(${JSON.stringify(path.join(__dirname, '../packages/core/dist/internal'))});
    core.useBackend('wasm', { threads: ${threads} })
      .then(() => timeSteps(${JSON.stringify(config)}, { shards: ${shards}, workers: ${workers} }))
      .then((row) => {
        process.stdout.write(JSON.stringify({ ms: Number(row['ms/step (median)']), threads: backendThreads(), peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
      });`;
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
const mib = (r) => (r?.peakRssMiB == null ? '' : r.peakRssMiB.toFixed(0));
(async () => {
  for (const config of configs) {
    const ours = [
      ...counts.map((n) => [`${n} thread${n === 1 ? '' : 's'}, 1 shard`, grokscope(config, { threads: n })]),
      ...counts
        .filter((n) => n > 1)
        .map((n) => [`${n} workers, ${n} shards`, grokscope(config, { shards: n, workers: n })]),
    ];
    const ceilings = [];
    for (const n of counts.filter((k) => k > 1)) ceilings.push([n, await ceiling(config, n)]);
    const theirs = counts.map((n) => [`${n} thread${n === 1 ? '' : 's'}`, pytorch(config, n)]);
    const best = Math.min(...theirs.map(([, r]) => r?.ms ?? Infinity));
    const ourBest = Math.min(...ours.map(([, r]) => r.ms));
    const one = ours[0][1].ms;
    for (const [how, r] of ours)
      rows.push({
        config,
        side: 'grokscope (wasm)',
        how,
        'ms/step': r.ms.toFixed(1),
        '× PyTorch best': Number.isFinite(best) ? (r.ms / best).toFixed(2) : 'no PyTorch',
        '× 1 thread, 1 shard': (r.ms / one).toFixed(2),
        'peak RSS MiB': mib(r),
      });
    for (const [n, ms] of ceilings)
      rows.push({
        config,
        side: 'ceiling: independent runs at once',
        how: `${n} one-thread runs, step ÷ ${n}`,
        'ms/step': ms.toFixed(1),
        '× PyTorch best': Number.isFinite(best) ? (ms / best).toFixed(2) : '',
        '× 1 thread, 1 shard': (ms / one).toFixed(2),
        'peak RSS MiB': '',
      });
    for (const [how, r] of theirs)
      rows.push({
        config,
        side: 'PyTorch 1.13 (CPU)',
        how,
        'ms/step': r === null ? 'not installed' : r.ms.toFixed(1),
        '× PyTorch best': r === null ? '' : (r.ms / best).toFixed(2),
        '× 1 thread, 1 shard': '',
        'peak RSS MiB': mib(r),
      });
    rows.push({
      config,
      side: 'gap: grokscope best / PyTorch best',
      how: '',
      'ms/step': '',
      '× PyTorch best': Number.isFinite(best) ? (ourBest / best).toFixed(2) : '',
      '× 1 thread, 1 shard': '',
      'peak RSS MiB': '',
    });
  }
  console.table(rows);
})();
