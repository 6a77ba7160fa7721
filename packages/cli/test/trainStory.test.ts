/**
 * The end of `grokscope train` tells the run's story: on a terminal (a pseudo-terminal from
 * util-linux `script`, as in progress.test.ts) a chart of H̃ and test accuracy and a block of
 * events; piped, --quiet or --json, neither. Every number is recomputed here from the run's
 * metrics.jsonl, by docs/science.md § Events, without the analysis package.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin, metrics, run, tmp, writeConfig } from './cliHarness';

/**
 * a+b mod 11 at lr 0.01 memorises by step ~60 and climbs to ~0.7 test accuracy in 250 steps:
 * with thresholds.grokked 0.65 it "groks" at ~170 — a grokking run in seconds. Its H̃ sits
 * near 0.4, below the paper's 0.61 from the start, and never falls below 0.2.
 */
const grokking = {
  task: { kind: 'cyclic', modulus: 11, trainFraction: 0.7, split: 'ordered' },
  optimizer: { lr: 0.01 },
  train: { steps: 250, evalEvery: 10 },
  thresholds: { grokked: 0.65 },
};
const censored = { ...grokking, train: { steps: 150, evalEvery: 10 }, thresholds: { entropy: 0.2 } };

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
/** What a user is left looking at: colours dropped, each `\r`-redrawn line at its final state. */
const screen = (text: string) =>
  text
    .replace(ANSI, '')
    .split(/\r\n|\n/)
    .map((l) => l.split('\r').pop()!)
    .join('\n');

function onTerminal(args: string[]) {
  if (spawnSync('script', ['--version']).error)
    throw new Error('this test needs `script` (util-linux): apt-get install bsdutils');
  const cmd = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  return spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', timeout: 120000 });
}

/** docs/science.md § Events from metrics.jsonl: t_mem, t_grok, t_cross(h) (first step after t_mem with H̃ ≤ h), H̃ at t_mem, the lowest H̃. */
function expected(dir: string, o: { memorised?: number; grokked: number; h: number }) {
  const rs = metrics(dir);
  const H = (r: (typeof rs)[number]) => r.metrics['entropy/Hn']!;
  const tMem = rs.find((r) => r.metrics['accuracy/train']! >= (o.memorised ?? 0.99))?.step ?? null;
  const tGrok = rs.find((r) => r.metrics['accuracy/test']! >= o.grokked)?.step ?? null;
  const tCross = tMem === null ? null : (rs.find((r) => r.step > tMem && H(r) <= o.h)?.step ?? null);
  let lowest = rs[0]!;
  for (const r of rs) if (H(r) < H(lowest)) lowest = r;
  return {
    tMem,
    hAtMem: tMem === null ? null : H(rs.find((r) => r.step === tMem)!),
    hMin: H(lowest),
    hMinStep: lowest.step,
    tCross,
    tGrok,
    lead: tCross !== null && tGrok !== null ? tGrok - tCross : null,
    peakTest: Math.max(...rs.map((r) => r.metrics['accuracy/test']!)),
    last: rs[rs.length - 1]!.step,
  };
}

let dir: string;
beforeAll(() => {
  dir = tmp();
});

describe('a run that groks, measured against the paper H̃* (no thresholds.entropy)', () => {
  let config: string;
  beforeAll(() => {
    config = writeConfig(dir, grokking);
  });

  test('on a terminal: the chart with t_cross and t_grok marked, and the story block, with the right numbers', () => {
    const out = path.join(dir, 'tty');
    const r = onTerminal(['train', '--config', config, '--out', out]);
    expect(r.status).toBe(0);
    const text = screen(r.stdout);
    const e = expected(out, { grokked: 0.65, h: 0.61 });
    expect(e.tMem).not.toBeNull();
    expect(e.tCross).not.toBeNull();
    expect(e.tGrok).not.toBeNull();
    expect(e.lead).toBeGreaterThan(0);

    // The chart: a y axis from 0 to 1, the x axis in steps, both series and the marks named with their values.
    expect(text).toMatch(/^1\.00┤/m);
    expect(text).toMatch(/^0\.00┤/m);
    expect(text).toMatch(/^ +step *$/m);
    expect(text).toMatch(/^━ H̃ *$/m);
    expect(text).toMatch(/^━ test accuracy *$/m);
    expect(text).toMatch(new RegExp(`^┃ t_cross = ${e.tCross} \\(H̃ ≤ 0\\.61\\) *$`, 'm'));
    expect(text).toMatch(new RegExp(`^┃ t_grok = ${e.tGrok} *$`, 'm'));
    expect(text).toMatch(/^┃ H̃\* = 0\.61 *$/m);
    // The vertical marks are drawn in the plot itself: columns of ┃ on the rows between the axis labels.
    expect(text.split('\n').filter((l) => /^ {4}│.*┃/.test(l)).length).toBeGreaterThan(3);

    // The story, after the chart, in the order it happened.
    const block = text.slice(text.indexOf('what this run shows:'));
    expect(text.indexOf('what this run shows:')).toBeGreaterThan(text.indexOf('┃ t_grok ='));
    expect(block).toContain(`  memorised   step ${e.tMem} (train accuracy ≥ 0.99), H̃ ${e.hAtMem!.toFixed(3)} there\n`);
    expect(block).toContain(`  lowest H̃    ${e.hMin.toFixed(3)} at step ${e.hMinStep}\n`);
    expect(block).toContain(
      `  H̃ crossed   0.61 at step ${e.tCross} (the paper's H̃*; set thresholds.entropy to use your own)\n`,
    );
    expect(block).toContain(`  grokked     step ${e.tGrok} (test accuracy ≥ 0.65)\n`);
    expect(block).toContain(
      `  lead        ${e.lead} steps: H̃ fell through 0.61 ${e.lead} steps before test accuracy jumped\n`,
    );
    // Then the usual final line, the picture and what to run next.
    expect(block).toMatch(
      new RegExp(
        `completed at step 250 in \\d+s: memorised at ${e.tMem}, grokked at ${e.tGrok}; run written to .*tty\\n`,
      ),
    );
    expect(block).toMatch(
      /\npicture: .*tty\/run\.svg\nnext: +grokscope report .*\n +grokscope sweep .*\n +grokscope forecast /,
    );
    expect(fs.existsSync(path.join(out, 'run.svg'))).toBe(true);
  });

  test('piped: neither the chart nor the block, but the final line names run.svg and what to run next', () => {
    const out = path.join(dir, 'piped');
    const r = run(['train', '--config', config, '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/┤|┃|━|what this run shows|t_cross/);
    expect(r.stdout).toMatch(
      /\ncompleted at step 250 in \d+s: memorised at \d+, grokked at \d+; run written to .*piped\npicture: .*piped\/run\.svg\nnext: +grokscope report /,
    );
  });

  test('--json: the done event carries the same numbers; --quiet prints one line', () => {
    const out = path.join(dir, 'json');
    const r = run(['train', '--config', config, '--out', out, '--json']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/┤|what this run shows/);
    const lines = r.stdout.trim().split('\n');
    const done = JSON.parse(lines[lines.length - 1]!);
    const e = expected(out, { grokked: 0.65, h: 0.61 });
    expect(done).toEqual({
      event: 'done',
      schemaVersion: 1,
      status: 'completed',
      step: 250,
      events: { memorised: e.tMem, grokked: e.tGrok },
      dir: out,
      tMem: e.tMem,
      hAtMem: e.hAtMem,
      hMin: e.hMin,
      hMinStep: e.hMinStep,
      threshold: 0.61,
      thresholdSource: 'paper',
      tCross: e.tCross,
      tGrok: e.tGrok,
      lead: e.lead,
      chart: path.join(out, 'run.svg'),
    });
    const quiet = run(['train', '--config', config, '--out', path.join(dir, 'quiet'), '--quiet']);
    expect(quiet.status).toBe(0);
    expect(quiet.stdout.trim().split('\n')).toHaveLength(1);
    expect(quiet.stdout).toMatch(/^completed at step 250 /);
  });
});

describe('a run that does not grok, against a configured H̃* it never reaches', () => {
  test('on a terminal the block says so honestly; the chart has no t_cross or t_grok marks', () => {
    const config = writeConfig(tmp(), censored);
    const out = path.join(dir, 'censored');
    const r = onTerminal(['train', '--config', config, '--out', out]);
    expect(r.status).toBe(0);
    const text = screen(r.stdout);
    const e = expected(out, { grokked: 0.95, h: 0.2 });
    expect(e.tMem).not.toBeNull();
    expect(e.tCross).toBeNull();
    expect(e.tGrok).toBeNull();
    expect(text).toMatch(/^1\.00┤/m);
    expect(text).toMatch(/^┃ H̃\* = 0\.2 *$/m);
    expect(text).not.toMatch(/t_cross =|t_grok =/);
    const block = text.slice(text.indexOf('what this run shows:'));
    expect(block).toContain(`  memorised   step ${e.tMem} (train accuracy ≥ 0.99), H̃ ${e.hAtMem!.toFixed(3)} there\n`);
    expect(block).toContain(`  lowest H̃    ${e.hMin.toFixed(3)} at step ${e.hMinStep}\n`);
    expect(block).toContain(
      `  H̃ crossed   not below 0.2 after memorisation by step ${e.last} (thresholds.entropy in the config)\n`,
    );
    expect(block).toContain(
      `  grokked     not by step ${e.last} (test accuracy reached ${e.peakTest.toFixed(3)}; needs ≥ 0.95): censored\n`,
    );
    expect(block).toContain('  lead        – (t_grok − t_cross needs both events)\n');
    expect(block).toMatch(/completed at step 150 in \d+s: memorised at \d+, not grokked by step 150; run written to /);

    // Reported again (a finished run is not retrained): the same story, and in JSON the same numbers.
    const again = run(['train', '--config', config, '--out', out, '--json']);
    expect(JSON.parse(again.stdout.trim())).toMatchObject({
      event: 'done',
      alreadyFinished: true,
      tMem: e.tMem,
      tCross: null,
      tGrok: null,
      lead: null,
      threshold: 0.2,
      thresholdSource: 'config',
      hMin: e.hMin,
      hMinStep: e.hMinStep,
    });
  });
});

test('--help lists the commands in the order a newcomer uses them, each with a one-line example', () => {
  const r = run(['--help']);
  expect(r.status).toBe(0);
  const commands = [...r.stdout.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
  expect(commands.slice(0, 5)).toEqual(['train', 'report', 'analyze', 'forecast', 'sweep']);
  for (const c of commands.slice(0, 5)) expect(r.stdout).toMatch(new RegExp(`^ {4}\\$ grokscope ${c} \\S`, 'm'));
  for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  const train = run(['train', '--help']);
  for (const preset of ['quick', 'paper', 's5', 'mlp'])
    expect(train.stdout).toMatch(new RegExp(`^ {2}${preset} {2,}\\S`, 'm'));
  expect(train.stdout).toMatch(/About 2 minutes/);
  expect(train.stdout).toMatch(/40,000 steps/);
});

// docs/science.md § Censored and unfinished runs: only a run that reached its end (its step cap,
// or a stop rule) and never grokked is censored; an interrupted one may still grok when resumed.
test('the story of an interrupted or failed run that has not grokked says unfinished, not censored', () => {
  const { storyOf, storyLines } = require('../src/runEnding') as typeof import('../src/runEnding');
  const metrics = { 'accuracy/train': 1, 'accuracy/test': 0.3, 'entropy/Hn': 0.5 };
  const records = [0, 10, 20].map((step) => ({ step, wallMs: step, metrics }));
  const thresholds = { memorised: 0.99, grokked: 0.95, entropy: 0.2 };
  const grokked = (status?: 'completed' | 'stopped' | 'interrupted' | 'failed') =>
    storyLines(storyOf(records, thresholds), thresholds, 100, status).find((l) => l.trimStart().startsWith('grokked'));
  const notBy = '  grokked     not by step 20 (test accuracy reached 0.300; needs ≥ 0.95): ';
  expect(grokked()).toBe(`${notBy}censored`);
  expect(grokked('completed')).toBe(`${notBy}censored`);
  expect(grokked('interrupted')).toBe(`${notBy}unfinished (interrupted): resume it to see whether it groks`);
  expect(grokked('failed')).toBe(`${notBy}unfinished (failed): resume it to see whether it groks`);
});
