// Step time of this checkout against another (an older commit's built worktree), in one run,
// alternating so that drift in the machine's speed hits both alike (docs/throughput.md):
//
//   git worktree add --detach ../old <commit> && (cd ../old && npm ci && npx tsc -b)
//   node bench/versus.js ../old [quick,paper] [rounds]
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const other = process.argv[2];
if (!other) {
  console.error('usage: node bench/versus.js <path of another built checkout> [quick,paper] [rounds]');
  process.exit(2);
}
const configs = (process.argv[3] ?? 'quick,paper').split(',');
const rounds = Number(process.argv[4] ?? 2);
const trees = { old: path.resolve(other), new: path.resolve(__dirname, '..') };

function stepMs(tree, config) {
  const script = `require(${JSON.stringify(path.join(tree, 'packages/core/dist'))}).useBackend('wasm', { threads: 1 })
    .then(() => require(${JSON.stringify(path.join(tree, 'bench/stepTime.js'))}).timeSteps(${JSON.stringify(config)}))
    .then((row) => process.stdout.write(row['ms/step (median)']));`;
  return Number(
    execFileSync(process.execPath, ['-e', script], {
      cwd: tree,
      encoding: 'utf8',
      env: { ...process.env, GROKSCOPE_THREADS: undefined },
    }),
  );
}

const rows = [];
for (const config of configs) {
  const times = { old: [], new: [] };
  for (let r = 0; r < rounds; r++)
    for (const side of r % 2 ? ['new', 'old'] : ['old', 'new']) times[side].push(stepMs(trees[side], config));
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  rows.push({
    config,
    'old ms/step': times.old.join(' / '),
    'new ms/step': times.new.join(' / '),
    'speed-up (median old / median new)': (median(times.old) / median(times.new)).toFixed(2),
  });
}
console.log(`old: ${trees.old}\nnew: ${trees.new}`);
console.table(rows);
