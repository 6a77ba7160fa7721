// `npm run bench`: every benchmark table grokscope reports. Run on an otherwise idle machine.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const parts = [
  ['Step time (ms/step) on the default backend', 'stepTime.js', ['quick', 'paper', 'paper-unfactorised']],
];
for (const [title, file, args] of parts) {
  console.log(`\n## ${title}\n`);
  execFileSync(process.execPath, [path.join(__dirname, file), ...args], { stdio: 'inherit' });
}
