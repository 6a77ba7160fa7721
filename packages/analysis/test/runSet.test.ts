/**
 * What `analyze` and `report` count, on hand-built run directories:
 * unfinished runs are their own category, the same run is counted once, runs with the same
 * folder name keep apart, and a folder is a run only if its manifest is one the trainer wrote.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeRuns, CENSORING_RULE, UNFINISHED_RULE } from '../src/analyzeRuns';
import { renderMarkdown } from '../src/renderMarkdown';
import { findRunDirs, readRun, RunReadError } from '../src/runReader';
import { writeReport } from '../src/writeReport';

let root: string;
beforeAll(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-runset-'))));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** metrics.jsonl of a run evaluated every 100 steps up to `last` that groks at `tGrok` (null: never); H̃ falls from 0.9 to 0.4 by t_grok. */
function records(last: number, tGrok: number | null): string {
  const lines: string[] = [];
  for (let t = 0; t <= last; t += 100) {
    const end = tGrok ?? last;
    const metrics = {
      'accuracy/train': t >= 100 ? 1 : 0.2,
      'accuracy/test': tGrok !== null && t >= tGrok ? 0.97 : 0.1,
      'entropy/Hn': 0.9 - 0.5 * Math.min(1, t / end),
      'norm/weights': 10 + Math.min(t, 300) / 10,
    };
    lines.push(JSON.stringify({ step: t, wallMs: t, metrics }));
  }
  return lines.join('\n') + '\n';
}

interface RunSpec {
  readonly seed?: number;
  readonly condition?: string;
  readonly last: number;
  readonly tGrok: number | null;
  /** summary.json status; null: no summary.json (still training, or killed). */
  readonly status: 'completed' | 'stopped' | 'interrupted' | 'failed' | null;
  readonly createdAt?: string;
  readonly reason?: string;
}

/** A run directory as the trainer writes it: manifest.json (ours), metrics.jsonl and, unless status is null, summary.json. */
function writeRun(rel: string, r: RunSpec): string {
  const dir = path.join(root, rel);
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    config: { condition: r.condition ?? 'baseline', seed: r.seed ?? 0, task: { kind: 'cyclic', modulus: 11 } },
    seed: r.seed ?? 0,
    backend: 'wasm',
    versions: { '@grokscope/core': '0.1.0', '@tensorflow/tfjs-core': '4.22.0' },
    createdAt: r.createdAt ?? `2026-01-01T00:00:0${r.seed ?? 0}.000Z`,
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), records(r.last, r.tGrok));
  if (r.status !== null) {
    const summary = {
      status: r.status,
      steps: r.last,
      ...(r.reason ? { reason: r.reason } : {}),
      events: { memorised: 100, grokked: r.tGrok !== null && r.tGrok <= r.last ? r.tGrok : null },
      wallMs: 1,
    };
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
  }
  return dir;
}

describe('unfinished runs are their own category', () => {
  let doc: ReturnType<typeof analyzeRuns>;
  beforeAll(() => {
    writeRun('study1/done-0', { seed: 0, last: 2000, tGrok: 800, status: 'completed' });
    writeRun('study1/done-1', { seed: 1, last: 2000, tGrok: 1200, status: 'completed' });
    writeRun('study1/stopped-2', { seed: 2, last: 1500, tGrok: 1000, status: 'stopped' });
    writeRun('study1/censored-3', { seed: 3, last: 2000, tGrok: null, status: 'completed' });
    // Unfinished: still training (no summary), interrupted, and failed — one of them had already grokked.
    writeRun('study1/running-4', { seed: 4, last: 300, tGrok: null, status: null });
    writeRun('study1/interrupted-5', { seed: 5, last: 700, tGrok: 200, status: 'interrupted' });
    writeRun('study1/failed-6', {
      seed: 6,
      last: 400,
      tGrok: null,
      status: 'failed',
      reason: 'the training loss is NaN at step 400',
    });
    doc = analyzeRuns(findRunDirs([path.join(root, 'study1')]).map(readRun), { bootstrap: { resamples: 100 } });
  });

  test('n and censored count finished runs only; unfinished runs are counted apart', () => {
    expect(doc.conditions).toHaveLength(1);
    expect(doc.conditions[0]).toMatchObject({ condition: 'baseline', n: 4, censored: 1, unfinished: 3 });
    expect(doc.runs.map((r) => r.name)).toEqual(['censored-3', 'done-0', 'done-1', 'stopped-2']);
    expect(doc.runs.find((r) => r.name === 'censored-3')).toMatchObject({ censored: true, tGrok: null });
  });

  test('unfinished runs are listed with their status and the step reached', () => {
    expect(doc.unfinished).toEqual([
      {
        name: 'failed-6',
        dir: path.join(root, 'study1', 'failed-6'),
        condition: 'baseline',
        status: 'failed',
        stepReached: 400,
        reason: 'the training loss is NaN at step 400',
      },
      {
        name: 'interrupted-5',
        dir: path.join(root, 'study1', 'interrupted-5'),
        condition: 'baseline',
        status: 'interrupted',
        stepReached: 700,
        reason: null,
      },
      {
        name: 'running-4',
        dir: path.join(root, 'study1', 'running-4'),
        condition: 'baseline',
        status: 'no summary.json (still training, or killed)',
        stepReached: 300,
        reason: null,
      },
    ]);
  });

  test('they enter no statistic: t_grok, H̃*, forecasts', () => {
    const c = doc.conditions[0]!;
    // interrupted-5 grokked at 200 before it stopped: still left out.
    expect(c.tGrok).toMatchObject({ n: 3, min: 800, max: 1200 });
    expect(c.threshold.inSample.map((x) => x.name).sort()).toEqual(['done-0', 'done-1', 'stopped-2']);
    expect(c.threshold.unscored).toEqual([{ name: 'censored-3', reason: 'censored (never grokked)' }]);
    expect(c.forecast.leaveOneOut.map((x) => x.name).sort()).toEqual(['done-0', 'done-1', 'stopped-2']);
  });

  test('the document states the rule beside the censoring rule, and the Markdown shows the category', () => {
    expect(doc.censoringRule).toBe(CENSORING_RULE);
    expect(doc.unfinishedRule).toBe(UNFINISHED_RULE);
    expect(UNFINISHED_RULE).toMatch(/interrupted or failed/);
    const md = renderMarkdown(doc);
    expect(md).toContain(`Unfinished: ${UNFINISHED_RULE}`);
    expect(md).toContain('| baseline | 4 | 1 |');
    expect(md).toContain('| condition | n | censored | mean t_grok | H̃* | unfinished (not in n) |');
    expect(md).toMatch(/\| baseline \| 4 \| 1 \| 1000 \| [\d.]+ \| 3 \|/);
    expect(md).toContain('## Unfinished runs (not counted in n or any statistic)');
    expect(md).toContain('| failed-6 | baseline | failed | 400 | the training loss is NaN at step 400 |');
    expect(md).toContain('| running-4 | baseline | no summary.json (still training, or killed) | 300 | – |');
    // Every table row has as many cells as its header.
    for (const block of md.split('\n\n')) {
      const rows = block.split('\n').filter((l) => l.startsWith('|') && !l.startsWith('|---'));
      if (rows.length) expect(new Set(rows.map((r) => r.split(' | ').length)).size).toBe(1);
    }
  });
});

describe('each run is counted once', () => {
  test('the same directory given three times (and through a link) counts n = 1, with a warning', () => {
    const dir = writeRun('study2/seed-0', { seed: 0, last: 1000, tGrok: 500, status: 'completed' });
    const link = path.join(root, 'study2-link');
    fs.symlinkSync(dir, link);
    const doc = analyzeRuns([dir, dir, dir, link].map(readRun), { bootstrap: { resamples: 100 } });
    expect(doc.conditions[0]).toMatchObject({ n: 1, censored: 0 });
    expect(doc.runs).toHaveLength(1);
    expect(doc.duplicates).toHaveLength(3);
    expect(doc.duplicates.map((d) => d.why)).toEqual(['same directory', 'same directory', 'same directory']);
    expect(doc.duplicates[0]!.message).toBe(`${dir} was given more than once; counted once`);
    expect(doc.duplicates[2]!.message).toMatch(/study2-link is the same directory as .*study2\/seed-0/);
    expect(renderMarkdown(doc)).toContain('Counted once (duplicates left out):');
  });

  test('a copy of a run (same createdAt, seed and config) counts once; the more complete copy is kept', () => {
    const original = writeRun('study3/a/seed-1', {
      seed: 1,
      last: 2000,
      tGrok: 900,
      status: 'completed',
      createdAt: '2026-02-02T10:00:00.000Z',
    });
    // A copy taken while it was still training: fewer records, no summary.
    const early = writeRun('backup/seed-1', {
      seed: 1,
      last: 600,
      tGrok: null,
      status: null,
      createdAt: '2026-02-02T10:00:00.000Z',
    });
    // Same config and seed, but started at another time: another run, not a copy.
    const rerun = writeRun('study3/b/seed-1', {
      seed: 1,
      last: 2000,
      tGrok: 1100,
      status: 'completed',
      createdAt: '2026-02-03T10:00:00.000Z',
    });
    const doc = analyzeRuns([early, original, rerun].map(readRun), { bootstrap: { resamples: 100 } });
    expect(doc.conditions[0]).toMatchObject({ n: 2, unfinished: 0 });
    expect(doc.unfinished).toEqual([]);
    expect(doc.runs.map((r) => r.dir).sort()).toEqual([original, rerun].sort());
    expect(doc.duplicates).toEqual([
      {
        kept: original,
        dropped: early,
        why: 'same run (a copy: same createdAt, seed and config in manifest.json)',
        message: expect.stringContaining(`${early} is the same run as ${original}`),
      },
    ]);
  });
});

describe('runs with the same folder name keep apart', () => {
  test('a/seed-0 and b/seed-0 get distinct, stable names and each its own chart', async () => {
    const a = writeRun('study4/a/seed-0', {
      seed: 0,
      last: 1000,
      tGrok: 400,
      status: 'completed',
      createdAt: '2026-03-01T00:00:00.000Z',
    });
    const b = writeRun('study4/b/seed-0', {
      seed: 0,
      condition: 'entropy-floor',
      last: 1000,
      tGrok: 800,
      status: 'completed',
      createdAt: '2026-03-02T00:00:00.000Z',
    });
    const c = writeRun('study4/b/seed-1', { seed: 1, last: 1000, tGrok: null, status: null });
    const runs = [a, b, c].map(readRun);
    const doc = analyzeRuns(runs, { bootstrap: { resamples: 100 } });
    expect(doc.runs.map((r) => [r.name, r.condition, r.tGrok])).toEqual([
      ['a/seed-0', 'baseline', 400],
      ['b/seed-0', 'entropy-floor', 800],
    ]);
    expect(doc.unfinished.map((r) => r.name)).toEqual(['seed-1']);
    // Stable: the names depend on the set of runs, not on the order they are given in.
    expect(
      analyzeRuns([...runs].reverse(), { bootstrap: { resamples: 100 } })
        .runs.map((r) => r.name)
        .sort(),
    ).toEqual(['a/seed-0', 'b/seed-0']);
    const out = path.join(root, 'report4');
    const files = await writeReport(doc, runs, out);
    const charts = fs.readdirSync(path.join(out, 'charts')).sort();
    expect(charts).toEqual(['a_seed-0.svg', 'b_seed-0.svg', 'seed-1.svg']);
    expect(files.filter((f) => f.endsWith('.svg'))).toHaveLength(3);
    expect(fs.readFileSync(path.join(out, 'charts', 'a_seed-0.svg'), 'utf8')).toContain('a/seed-0');
    expect(fs.readFileSync(path.join(out, 'charts', 'b_seed-0.svg'), 'utf8')).toContain('b/seed-0');
    const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('![a/seed-0](charts/a_seed-0.svg)');
    expect(md).toContain('![b/seed-0](charts/b_seed-0.svg)');
  });

  test('names that become equal once made file-safe still get distinct files', async () => {
    const x = writeRun('study5/p/q r', {
      seed: 0,
      last: 500,
      tGrok: 300,
      status: 'completed',
      createdAt: '2026-04-01T00:00:00.000Z',
    });
    const y = writeRun('study5/p/q_r', {
      seed: 1,
      last: 500,
      tGrok: 300,
      status: 'completed',
      createdAt: '2026-04-02T00:00:00.000Z',
    });
    const runs = [x, y].map(readRun);
    const out = path.join(root, 'report5');
    await writeReport(analyzeRuns(runs, { bootstrap: { resamples: 100 } }), runs, out);
    const charts = fs.readdirSync(path.join(out, 'charts')).filter((f) => !f.endsWith('-forecast.svg'));
    expect(charts).toHaveLength(2);
    for (const f of charts) expect(f).toMatch(/^q_r-[0-9a-f]{8}\.svg$/);
  });
});

describe("a folder is a run only if its manifest is a run manifest (grokscope's or another trainer's)", () => {
  test('found while searching: a foreign manifest.json is skipped with a warning', () => {
    const ours = writeRun('study6/seed-0', { seed: 0, last: 500, tGrok: 300, status: 'completed' });
    const web = path.join(root, 'study6', 'webapp');
    fs.mkdirSync(web);
    fs.writeFileSync(path.join(web, 'manifest.json'), JSON.stringify({ name: 'My App', icons: [] }));
    const warnings: string[] = [];
    expect(findRunDirs([path.join(root, 'study6')], { warn: (m) => warnings.push(m) })).toEqual([ours]);
    expect(warnings).toEqual([
      `skipped ${web}: ${path.join(web, 'manifest.json')} is not a run manifest ("format" is missing (a string); "trainer" is missing (an object); "config" is missing (an object); "seed" is missing (a number))`,
    ]);
  });

  test('named explicitly: an error naming the file and what is missing', () => {
    const dir = path.join(root, 'foreign');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'manifest.json');
    fs.writeFileSync(file, JSON.stringify({ config: { lr: 1 }, seed: 1.5, versions: { other: '1.0.0' } }));
    expect(findRunDirs([dir])).toEqual([dir]);
    expect(() => readRun(dir)).toThrow(RunReadError);
    const help = 'The run format (manifest.json, metrics.jsonl, summary.json) is described in docs/run-format.md';
    // No trainer and no grokscope version: told what another trainer's manifest must hold.
    expect(() => readRun(dir)).toThrow(
      `${file}: is not a run manifest: "format" is missing (a string); "trainer" is missing (an object); "seed" is 1.5, expected an integer. ${help}`,
    );
    // grokscope's own (it records its core version): told what grokscope's manifest holds.
    fs.writeFileSync(
      file,
      JSON.stringify({
        versions: { '@grokscope/core': '0.1.0' },
        config: 'x',
        seed: 0,
        backend: 'wasm',
        createdAt: 'x',
      }),
    );
    expect(() => readRun(dir)).toThrow(`${file}: is not a run manifest: "config" is "x", expected an object. ${help}`);
  });
});
