// Checks the interventions on a finished three-condition sweep (default runs/quick-study):
// does entropy-floor keep H̃ above the baseline's trajectory, and does norm-matched follow
// its reference's weight norm? Usage: node bench/interventionCheck.js [sweepDir]
const path = require('node:path');
const { readRun } = require('../packages/analysis/dist');

const dir = process.argv[2] ?? 'runs/quick-study';
const seeds = [
  ...new Set(
    require('node:fs')
      .readdirSync(dir)
      .map((d) => /^seed=(\d+),/.exec(d)?.[1])
      .filter(Boolean),
  ),
];
const rows = seeds.map((s) => {
  const get = (c) => readRun(path.join(dir, `seed=${s},condition=${c}`)).records;
  const [b, f, m] = [get('baseline'), get('entropy-floor'), get('norm-matched')];
  let above = 0;
  for (let i = 1; i < Math.min(b.length, f.length); i++)
    if (f[i].metrics['entropy/Hn'] > b[i].metrics['entropy/Hn']) above++;
  let worst = 0;
  for (let i = 1; i < Math.min(f.length, m.length); i++)
    worst = Math.max(
      worst,
      Math.abs(m[i].metrics['norm/weights'] - f[i].metrics['norm/weights']) / f[i].metrics['norm/weights'],
    );
  return {
    seed: s,
    'entropy-floor H̃ > baseline H̃': `${above}/${Math.min(b.length, f.length) - 1} evaluations`,
    'min H̃ with entropy-floor': Math.min(...f.slice(1).map((r) => r.metrics['entropy/Hn'])).toFixed(3),
    'min H̃ baseline': Math.min(...b.slice(1).map((r) => r.metrics['entropy/Hn'])).toFixed(3),
    'norm-matched max rel. error': worst.toExponential(1),
  };
});
console.table(rows);
