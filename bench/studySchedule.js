// How long a finished study would take on W workers in two run orders — grid order and the order
// sweeps use (packages/cli/src/runOrder.ts) — replayed from each run's own training time in its
// summary.json plus a fixed start-up per run (a process starts, loads the backend and builds the
// task: 1.3 s measured with `time grokscope train --preset quick --steps 1`). Also the lower
// bound, the summed time over the workers. Reads the study folder that `reproduce` wrote.
//   node bench/studySchedule.js runs/study-quick [workers] [start-up seconds]
const fs = require('node:fs');
const path = require('node:path');
const { expandSweep, runOrder } = require('../packages/cli/dist');

const dir = path.resolve(process.argv[2] ?? 'runs/study-quick');
const workers = Number(process.argv[3] ?? 2);
const startup = Number(process.argv[4] ?? 1.3);
const spec = { ...JSON.parse(fs.readFileSync(path.join(dir, 'study.sweep.json'), 'utf8')), out: dir };
const runs = expandSweep(spec);
const seconds = new Map(
  runs.map((r) => {
    const summary = JSON.parse(fs.readFileSync(path.join(r.dir, 'summary.json'), 'utf8'));
    return [r.name, summary.wallMs / 1000 + startup];
  }),
);

/** Wall time of `order` on `workers`: each free worker takes the first run whose references have ended. */
function replay(order) {
  const pending = [...order];
  const ended = new Map();
  const running = []; // [end time, name]
  let t = 0;
  while (pending.length > 0 || running.length > 0) {
    for (let k = 0; k < pending.length && running.length < workers; ) {
      const run = pending[k];
      if (run.dependsOn.every((d) => ended.has(d))) {
        pending.splice(k, 1);
        running.push([t + seconds.get(run.name), run.name]);
      } else k++;
    }
    running.sort((a, b) => a[0] - b[0]);
    const [end, name] = running.shift();
    t = end;
    ended.set(name, end);
  }
  return t;
}

const total = [...seconds.values()].reduce((s, x) => s + x, 0);
const min = (s) => `${(s / 60).toFixed(1)} min`;
console.log(`${dir}: ${runs.length} runs, ${min(total)} of training and start-up summed, ${workers} workers`);
const bound = total / workers;
const row = (order, wall) => ({
  order,
  wall: min(wall),
  'over the bound': `${((100 * wall) / bound - 100).toFixed(1)}%`,
});
console.table([
  row('grid (seed by seed)', replay(runs)),
  row('runOrder (referenced first, then referencing)', replay(runOrder(runs))),
  row('lower bound: summed / workers', bound),
]);
