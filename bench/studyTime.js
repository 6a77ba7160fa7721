// Wall time of a whole study, and studies per hour, for this checkout and for other checkouts in
// the same run (a quick-scale study's throughput against an older main, measured side by side
// because the machine's speed drifts between days). Each checkout runs the same sweep
// file with the same workers into a fresh folder; the table also says whether every run's metrics
// (wall-clock fields aside) are bitwise those of the first checkout listed, so a speed-up is shown
// to be the same study done faster, not a different one.
//
//   node bench/studyTime.js [sweep file] [other checkout ...]
//   node bench/studyTime.js sweeps/quick-study.yaml /work/wt/old     (other checkout built first)
//
// Order: the other checkouts first, then this one, then again in reverse when ROUNDS=2 (env).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const here = path.join(__dirname, '..');
const file = path.resolve(process.argv[2] ?? path.join(here, 'sweeps/quick-study.yaml'));
const others = process.argv.slice(3).map((p) => path.resolve(p));
const workers = Number(process.env.STUDY_BENCH_WORKERS ?? os.cpus().length);
const rounds = Number(process.env.ROUNDS ?? 1);

function commitOf(checkout) {
  try {
    return execFileSync('git', ['-C', checkout, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return path.basename(checkout);
  }
}

/** Every run's metrics records with the wall-clock field dropped, keyed by run folder. */
function metricsOf(out) {
  const runs = new Map();
  for (const name of fs.readdirSync(out).sort()) {
    const log = path.join(out, name, 'metrics.jsonl');
    if (!fs.existsSync(log)) continue;
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    runs.set(name, lines.map((l) => JSON.stringify({ ...JSON.parse(l), wallMs: undefined })).join('\n'));
  }
  return runs;
}

function timeStudy(checkout) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-study-'));
  const out = path.join(dir, 'out');
  const bin = path.join(checkout, 'packages/cli/dist/bin.js');
  const t0 = performance.now();
  execFileSync(process.execPath, [bin, 'sweep', file, '--workers', String(workers), '--out', out, '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, GROKSCOPE_THREADS: undefined },
  });
  const s = (performance.now() - t0) / 1000;
  const runs = metricsOf(out);
  fs.rmSync(dir, { recursive: true, force: true });
  return { s, runs };
}

const checkouts = [...others, here];
const results = new Map(checkouts.map((c) => [c, []]));
for (let r = 0; r < rounds; r++) {
  for (const c of r % 2 === 0 ? checkouts : [...checkouts].reverse()) {
    const res = timeStudy(c);
    results.get(c).push(res);
    console.error(`${commitOf(c)}: ${(res.s / 60).toFixed(2)} min, ${res.runs.size} runs`);
  }
}

// The best round of each checkout: drift and other load only ever slow a round down.
const best = (xs) => Math.min(...xs);
const first = results.get(checkouts[0])[0].runs;
const firstS = best(results.get(checkouts[0]).map((x) => x.s));
console.log(`${path.relative(here, file)}, ${workers} workers, ${os.cpus().length} cores, ${rounds} round(s)`);
console.table(
  checkouts.map((c) => {
    const rs = results.get(c);
    const s = best(rs.map((x) => x.s));
    const runs = rs[0].runs;
    const same = [...runs].filter(([name, m]) => first.get(name) === m).length;
    return {
      checkout: `${commitOf(c)}${c === here ? ' (this)' : ''}`,
      'wall min': rs.map((x) => (x.s / 60).toFixed(2)).join(' / '),
      'studies/hour (best round)': (3600 / s).toFixed(2),
      [`speed-up vs ${commitOf(checkouts[0])}`]: (firstS / s).toFixed(2),
      'runs bitwise the first checkout’s': `${same} of ${runs.size}`,
    };
  }),
);
