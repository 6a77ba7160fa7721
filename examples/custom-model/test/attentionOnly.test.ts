import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type Task } from '@grokscope/core';
import { attentionOnlyModel, AttentionOnlyTransformer } from '../src';

const bin = path.join(path.dirname(require.resolve('@grokscope/cli/package.json')), 'dist', 'bin.js');
const here = path.resolve(__dirname, '..');
const cli = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: here, timeout: 240000 });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-model-'));
  dirs.push(d);
  return d;
};

const p = 5;
const task = {
  name: 'add5',
  order: p,
  abelian: true,
  elementLabels: [],
  vocabSize: p + 1,
  equalsToken: p,
  numClasses: p,
  examples: { a: new Int32Array(0), b: new Int32Array(0), label: new Int32Array(0) },
} as Task;

type M = number[][];
const mm = (x: M, w: M) => x.map((r) => w[0]!.map((_, j) => r.reduce((s, v, k) => s + v * w[k]![j]!, 0)));
const add = (x: M, y: M) => x.map((r, i) => r.map((v, j) => v + y[i]![j]!));

/** The same forward written out in plain numbers, one example at a time: an oracle independent of TensorFlow.js. */
function oracle(params: Map<string, M>, a: number, b: number, d: number, H: number, layers: number) {
  const dh = d / H;
  let x: M = [a, b, p].map((t, i) => params.get('embed')![t]!.map((v, j) => v + params.get('pos')![i]![j]!));
  const taps: Record<string, number[]> = {};
  for (let l = 0; l < layers; l++) {
    const [q, k, v] = ['q', 'k', 'v'].map((m) => mm(x, params.get(`blocks.${l}.${m}`)!)) as [M, M, M];
    const z: M = x.map(() => new Array<number>(d).fill(0));
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < 3; i++) {
        const s = [0, 1, 2]
          .filter((j) => j <= i)
          .map(
            (j) =>
              q[i]!.slice(h * dh, (h + 1) * dh).reduce((acc, qv, c) => acc + qv * k[j]![h * dh + c]!, 0) /
              Math.sqrt(dh),
          );
        const m = Math.max(...s);
        const e = s.map((t) => Math.exp(t - m));
        const tot = e.reduce((u, t) => u + t, 0);
        e.forEach((wt, j) => {
          for (let c = 0; c < dh; c++) z[i]![h * dh + c]! += (wt / tot) * v[j]![h * dh + c]!;
        });
      }
    }
    const attn = mm(z, params.get(`blocks.${l}.o`)!);
    taps[`blocks.${l}.attn_out`] = attn[2]!;
    x = add(x, attn);
    taps[`blocks.${l}.resid`] = x[2]!;
  }
  return { logits: mm([x[2]!], params.get('unembed')!)[0]!, taps };
}

test('logits and every per-block tap equal a plain-number forward of the same weights', async () => {
  await useBackend('wasm');
  const model = new AttentionOnlyTransformer({ dModel: 8, heads: 2, layers: 2 }, { task, seed: 3 });
  expect(model.tapNames).toEqual([
    'blocks.0.attn_out',
    'blocks.0.resid',
    'blocks.1.attn_out',
    'blocks.1.resid',
    'resid_final',
  ]);
  const params = new Map([...model.params].map(([k, v]) => [k, v.arraySync() as M]));
  const pairs = [
    [0, 0],
    [1, 3],
    [4, 2],
  ] as const;
  const out = tf.tidy(() => {
    const r = model.forward(
      {
        a: tf.tensor1d(
          pairs.map((x) => x[0]),
          'int32',
        ),
        b: tf.tensor1d(
          pairs.map((x) => x[1]),
          'int32',
        ),
      },
      { taps: new Set(model.tapNames), transforms: new Map() },
    );
    return { logits: r.logits.arraySync(), taps: Object.fromEntries([...r.taps].map(([k, t]) => [k, t.arraySync()])) };
  });
  pairs.forEach(([a, b], i) => {
    const want = oracle(params, a, b, 8, 2, 2);
    want.logits.forEach((v, j) => expect(out.logits[i]![j]).toBeCloseTo(v, 4));
    for (const [name, vec] of Object.entries(want.taps))
      vec.forEach((v, j) => expect(out.taps[name]![i]![j]).toBeCloseTo(v, 4));
    want.taps['blocks.1.resid']!.forEach((v, j) => expect(out.taps['resid_final']![i]![j]).toBeCloseTo(v, 4));
  });
  model.dispose();
});

test('an option it cannot use is a ConfigError naming model.options.<field>', () => {
  expect(() => attentionOnlyModel({ dModel: 10, heads: 4 }, { task, seed: 0 })).toThrow(
    /model\.options\.heads: must divide/,
  );
  expect(() => attentionOnlyModel({ layer: 2 }, { task, seed: 0 })).toThrow(/model\.options\.layer: unknown option/);
});

test('the CLI trains it from a config file, with a probe on a per-block tap', () => {
  const out = path.join(tmp(), 'run');
  const r = cli(['train', '--config', 'grokscope.json', '--out', out, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const recs = fs
    .readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; metrics: Record<string, number> });
  expect(recs.map((x) => x.step)).toEqual([0, 20, 40]);
  for (const rec of recs) {
    for (const tag of ['entropy0/Hn', 'entropy/Hn']) expect(rec.metrics[tag]).toBeGreaterThan(0);
    // The norms probe's per-parameter norms name this model's own parameters.
    expect(Object.keys(rec.metrics).filter((k) => k.startsWith('norm/param/blocks.1.'))).toHaveLength(4);
  }
});

test('a sweep varies its options like any config field', () => {
  const out = tmp();
  const r = cli(['sweep', 'sweep.yaml', '--out', out, '--quiet']);
  expect(r.status).toBe(0);
  const runs = fs
    .readdirSync(out)
    .filter((d) => fs.existsSync(path.join(out, d, 'summary.json')))
    .sort();
  expect(runs).toEqual([
    'model.options.layers=1,seed=0',
    'model.options.layers=1,seed=1',
    'model.options.layers=2,seed=0',
    'model.options.layers=2,seed=1',
  ]);
  const keys = (name: string) =>
    Object.keys(
      JSON.parse(fs.readFileSync(path.join(out, name, 'metrics.jsonl'), 'utf8').split('\n')[0]!).metrics as object,
    );
  // One block has no blocks.1 parameters; two blocks have them.
  expect(keys('model.options.layers=1,seed=0').some((k) => k.startsWith('norm/param/blocks.1.'))).toBe(false);
  expect(keys('model.options.layers=2,seed=0').some((k) => k.startsWith('norm/param/blocks.1.'))).toBe(true);
});
