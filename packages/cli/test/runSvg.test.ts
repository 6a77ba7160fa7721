/**
 * Every ended run leaves a picture: DIR/run.svg (H̃, train and test accuracy and weight norm
 * against step, t_mem / t_cross / t_grok as labelled rules, H̃* as a labelled line), for runs
 * that completed, stopped on a rule, were interrupted, or failed. Drawing it never fails a run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { metrics, run, tmp, writeConfig } from './cliHarness';

/** a+b mod 11 at lr 0.01: memorises by ~60, H̃ is below the paper's 0.61 right after, test accuracy ≥ 0.65 by ~170. */
const base = {
  task: { kind: 'cyclic', modulus: 11, trainFraction: 0.7, split: 'ordered' },
  optimizer: { lr: 0.01 },
  train: { steps: 250, evalEvery: 10 },
  thresholds: { grokked: 0.65 },
};

/** A user plugin (cli.test.ts plugs one in the same way) that ends the run at step 200 in the way asked. */
const ENDER = `module.exports = ({ how }) => ({
  name: 'ender',
  apply(t) {
    if (how === 'stop') t.hooks.shouldStop.tap('ender', (ev) => (ev.step >= 200 ? 'enough for the test' : undefined));
    if (how === 'interrupt') t.hooks.evaluate.tapPromise('ender', async (ev) => { if (ev.step === 200) process.kill(process.pid, 'SIGINT'); });
    if (how === 'fail') t.hooks.evaluate.tapPromise('ender', async (ev) => { if (ev.step >= 200) throw new Error('boom at ' + ev.step); });
  },
});
`;

/** The text of every <text> element, entities decoded: axis titles, legend entries, labels. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );

/** The events recomputed from metrics.jsonl (docs/science.md § Events; t_cross against the paper's 0.61). */
function events(dir: string) {
  const rs = metrics(dir);
  const tMem = rs.find((r) => r.metrics['accuracy/train']! >= 0.99)!.step;
  const tGrok = rs.find((r) => r.metrics['accuracy/test']! >= 0.65)!.step;
  const tCross = rs.find((r) => r.step > tMem && r.metrics['entropy/Hn']! <= 0.61)!.step;
  return { tMem, tCross, tGrok };
}

function expectPicture(dir: string) {
  const file = path.join(dir, 'run.svg');
  expect(fs.existsSync(file)).toBe(true);
  const svg = fs.readFileSync(file, 'utf8');
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svg.trimEnd()).toMatch(/<\/svg>$/);
  const t = texts(svg);
  const e = events(dir);
  // Axis titles, the four series in the legend, each event rule labelled with its step, H̃* labelled.
  expect(t).toEqual(expect.arrayContaining(['step', 'H̃, accuracy, ‖θ‖ / max ‖θ‖']));
  expect(t).toEqual(expect.arrayContaining(['H̃', 'train accuracy', 'test accuracy', '‖θ‖ / max ‖θ‖']));
  expect(t).toEqual(
    expect.arrayContaining([
      `t_mem = ${e.tMem}`,
      `t_cross = ${e.tCross}`,
      `t_grok = ${e.tGrok}`,
      "H̃* = 0.61 (the paper's)",
    ]),
  );
  // Three dashed event rules in one mark group.
  const rules = svg
    .split('<g class="mark-rule role-mark')
    .slice(1)
    .map((s) => (s.slice(0, s.indexOf('</g>')).match(/<line/g) ?? []).length);
  expect(rules[0]).toBe(3);
  return t;
}

let dir: string;
beforeAll(() => {
  dir = tmp();
  fs.writeFileSync(path.join(dir, 'ender.js'), ENDER);
});
const configWith = (how?: string) => {
  const sub = fs.mkdtempSync(path.join(dir, `${how ?? 'plain'}-`));
  fs.copyFileSync(path.join(dir, 'ender.js'), path.join(sub, 'ender.js'));
  return writeConfig(sub, {
    ...base,
    ...(how ? { probes: ['accuracy', 'spectral-entropy', 'norms', { module: './ender.js', options: { how } }] } : {}),
  });
};
const status = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).status;

test('a completed run', () => {
  const out = path.join(dir, 'completed');
  const r = run(['train', '--config', configWith(), '--out', out]);
  expect(r.status).toBe(0);
  expect(status(out)).toBe('completed');
  const t = expectPicture(out);
  expect(t).toContain('run: add mod 11 (train 0.7), transformer d16, 4 heads, 1 layer, seed 0, 250 steps');
  expect(r.stdout).toContain(`picture: ${path.join(out, 'run.svg')}`);
});

test('a run stopped by a rule', () => {
  const out = path.join(dir, 'stopped');
  const r = run(['train', '--config', configWith('stop'), '--out', out]);
  expect(r.status).toBe(0);
  expect(status(out)).toBe('stopped');
  expectPicture(out);
  expect(r.stdout).toMatch(/stopped at step 200 .*\(enough for the test\).*\npicture: .*stopped\/run\.svg\n/);
});

test('an interrupted run (SIGINT): the picture so far, and no summary', () => {
  const out = path.join(dir, 'interrupted');
  const r = run(['train', '--config', configWith('interrupt'), '--out', out]);
  expect(r.status).toBe(130);
  expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(false);
  expectPicture(out);
  expect(r.stdout).toMatch(
    /interrupted at step \d+; checkpoint written to .*\nresume with: .*\npicture so far: .*interrupted\/run\.svg\n/,
  );
});

test('a failed run', () => {
  const out = path.join(dir, 'failed');
  const r = run(['train', '--config', configWith('fail'), '--out', out]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/boom at 200/);
  expect(status(out)).toBe('failed');
  expectPicture(out);
});

test('a picture that cannot be written is a warning, not a failed run', () => {
  const out = path.join(dir, 'blocked');
  fs.mkdirSync(path.join(out, 'run.svg'), { recursive: true });
  fs.writeFileSync(path.join(out, 'run.svg', 'in-the-way'), '');
  const r = run(['train', '--config', configWith(), '--out', out, '--steps', '30']);
  expect(r.status).toBe(0);
  expect(status(out)).toBe('completed');
  expect(r.stderr).toMatch(/^warning: run\.svg not written: /m);
  expect(r.stdout).toMatch(/completed at step 30 .*\npicture: none/);
});
