/**
 * `analyze` and `report` count each finished run once, through the built
 * binary on hand-built run directories: unfinished runs, duplicates and foreign folders are
 * named on stderr and left out; same-named folders keep their own charts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, tmp } from './cliHarness';

function writeRun(dir: string, seed: number, status: string | null, tGrok: number | null = 300): void {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    config: { condition: 'baseline', seed },
    seed,
    backend: 'wasm',
    versions: { '@grokscope/core': '0.1.0' },
    createdAt: `2026-05-0${seed + 1}T00:00:00.000Z`,
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  const lines = [0, 100, 200, 300, 400].map((t) =>
    JSON.stringify({
      step: t,
      wallMs: t,
      metrics: {
        'accuracy/train': t >= 100 ? 1 : 0.2,
        'accuracy/test': tGrok !== null && t >= tGrok ? 0.99 : 0.1,
        'entropy/Hn': 0.9 - t / 1000,
        'norm/weights': 10,
      },
    }),
  );
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  if (status)
    fs.writeFileSync(
      path.join(dir, 'summary.json'),
      JSON.stringify({ status, steps: 400, events: { memorised: 100, grokked: tGrok }, wallMs: 1 }),
    );
}

test('analyze: duplicates, unfinished runs and foreign folders are reported on stderr and not counted', () => {
  const root = tmp();
  writeRun(path.join(root, 'a', 'seed-0'), 0, 'completed');
  writeRun(path.join(root, 'b', 'seed-0'), 1, 'completed');
  writeRun(path.join(root, 'b', 'seed-2'), 2, null);
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'manifest.json'), '{"name": "app"}');
  const r = run(['analyze', root, path.join(root, 'a', 'seed-0'), '--json']);
  expect(r.status).toBe(0);
  expect(r.stderr).toContain(
    `warning: skipped ${path.join(root, 'site')}: ${path.join(root, 'site', 'manifest.json')} is not a run manifest ("format" is missing (a string); "trainer" is missing (an object)`,
  );
  expect(r.stderr).toContain(`warning: ${path.join(root, 'a', 'seed-0')} was given more than once; counted once`);
  expect(r.stderr).toContain(
    'warning: 1 unfinished run(s) left out of every statistic: seed-2 (no summary.json (still training, or killed), step 400)',
  );
  const doc = JSON.parse(r.stdout) as { conditions: { n: number; unfinished: number }[]; runs: { name: string }[] };
  expect(doc.conditions[0]).toMatchObject({ n: 2, unfinished: 1 });
  expect(doc.runs.map((x) => x.name)).toEqual(['a/seed-0', 'b/seed-0']);
});

test('analyze on a folder whose manifest is not a run manifest: an error naming the file and what is missing, exit 2', () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ config: {}, seed: 0 }));
  const r = run(['analyze', dir]);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    `error: ${path.join(dir, 'manifest.json')}: is not a run manifest: "format" is missing (a string); "trainer" is missing (an object). The run format (manifest.json, metrics.jsonl, summary.json) is described in docs/run-format.md\n`,
  );
});

test('report: two folders named seed-0 get a chart each', () => {
  const root = tmp();
  writeRun(path.join(root, 'a', 'seed-0'), 0, 'completed');
  writeRun(path.join(root, 'b', 'seed-0'), 1, 'completed', null);
  const out = path.join(root, 'report');
  expect(run(['report', root, '--out', out]).status).toBe(0);
  expect(
    fs
      .readdirSync(path.join(out, 'charts'))
      .filter((f) => !f.includes('forecast'))
      .sort(),
  ).toEqual(['a_seed-0.svg', 'b_seed-0.svg']);
});
