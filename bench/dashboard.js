// The dashboard at scale: the time to list 1,000 runs, and the time from a record being written
// to it reaching a connected page (a server-sent-events client), with a 100k-record log among
// the runs. Prints a Markdown table. Needs a build (`npm run build`).
//
//   node bench/dashboard.js [--runs N] [--records N] [--appends N]
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { startDashboard } = require('../packages/dashboard/dist/index.js');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 1000);
const BIG = arg('--records', 100000);
const APPENDS = arg('--appends', 20);

const record = (step) =>
  JSON.stringify({
    step,
    wallMs: step,
    metrics: {
      'accuracy/train': Math.min(1, step / 200),
      'accuracy/test': step > 1000 ? 0.97 : 0.2,
      'entropy/Hn': 0.9 - 0.3 * Math.min(1, step / 1500),
      'norm/weights': 10,
    },
  }) + '\n';

function writeRun(dir, n, status, seed) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      versions: { '@grokscope/core': '0.1.0' },
      seed,
      config: { condition: seed % 2 ? 'entropy-floor' : 'baseline' },
    }),
  );
  let text = '';
  for (let i = 0; i < n; i++) text += record(i * 10);
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), text);
  if (status) fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ status, steps: (n - 1) * 10 }));
}

const get = (port, p) =>
  new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: p }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-bench-dash-'));
  try {
    for (let i = 0; i < RUNS - 1; i++)
      writeRun(path.join(root, `study-${Math.floor(i / 100)}`, `seed-${i}`), 200, i % 10 ? 'completed' : null, i);
    const live = path.join(root, 'big', 'live');
    writeRun(live, BIG, null, 0);

    let t0 = process.hrtime.bigint();
    const d = await startDashboard({ dirs: [root], port: 0, warn: () => {} });
    const startMs = ms(t0);
    const lists = [];
    let count = 0;
    for (let i = 0; i < 5; i++) {
      t0 = process.hrtime.bigint();
      count = JSON.parse(await get(d.port, '/api/runs')).runs.length;
      lists.push(ms(t0));
    }
    t0 = process.hrtime.bigint();
    await get(d.port, `/api/run?id=${encodeURIComponent('0/big/live')}`);
    const bigRunMs = ms(t0);

    // A connected client; each append's latency is write → its update event arriving.
    const waiting = new Map();
    let buf = '';
    const req = http.get({ host: '127.0.0.1', port: d.port, path: '/api/events' }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const data = buf
            .slice(0, i)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buf = buf.slice(i + 2);
          if (!data) continue;
          for (const r of JSON.parse(data.slice(6)).runs) for (const s of r.steps) waiting.get(s)?.();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 300));
    const latencies = [];
    for (let k = 0; k < APPENDS; k++) {
      const step = BIG * 10 + k * 10;
      const arrived = new Promise((r) => waiting.set(step, r));
      t0 = process.hrtime.bigint();
      fs.appendFileSync(path.join(live, 'metrics.jsonl'), record(step));
      await arrived;
      latencies.push(ms(t0));
      await new Promise((r) => setTimeout(r, 137)); // not in step with the poll
    }
    req.destroy();
    await d.close();

    console.log(`| what (${count} runs; one log of ${BIG.toLocaleString('en-US')} records) | time |`);
    console.log('| --- | --- |');
    console.log(`| start: find and read every run | ${startMs.toFixed(0)} ms |`);
    console.log(`| list ${count} runs (GET /api/runs, median of 5) | ${median(lists).toFixed(1)} ms |`);
    console.log(
      `| the ${BIG.toLocaleString('en-US')}-record run's page data (GET /api/run) | ${bigRunMs.toFixed(0)} ms |`,
    );
    console.log(
      `| a new record to a connected page (median of ${APPENDS}; max) | ${median(latencies).toFixed(0)} ms; ${Math.max(...latencies).toFixed(0)} ms |`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
