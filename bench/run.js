// `npm run bench`: every benchmark table grokscope reports. Run on an otherwise idle machine.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const parts = [
  ['Step time (ms/step) on the default backend', 'stepTime.js', ['quick', 'paper', 'paper-unfactorised']],
  ['Probe and intervention cost (share of wall time)', 'probeCost.js', []],
  ['Where a quick step spends its time, kernel by kernel', 'kernelProfile.js', ['quick', '50']],
  ['Sweep speed-up from worker processes', 'sweepSpeedup.js', []],
  ['Step time beside PyTorch, 1 and 2 threads', 'throughput.js', []],
  ['A whole study: sweeps/quick-study.yaml on every core, studies/hour', 'studyTime.js', []],
  ['Dashboard: listing 1,000 runs and delivering a new record', 'dashboard.js', []],
];
const only = process.argv.slice(2);
for (const [title, file, args] of parts) {
  if (only.length && !only.some((o) => file.startsWith(o))) continue;
  console.log(`\n## ${title}\n`);
  execFileSync(process.execPath, [path.join(__dirname, file), ...args], { stdio: 'inherit' });
}
