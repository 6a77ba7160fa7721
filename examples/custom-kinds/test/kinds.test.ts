import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@grokscope/core';
import { createModel, describeModelConfig, modelKinds } from '@grokscope/models';
import { describeTaskConfig, taskFromSpec, taskKinds } from '@grokscope/tasks';
import '../src';

// The CLI as a user runs it (built: `npx tsc -b` at the repository root first).
const bin = path.join(path.dirname(require.resolve('@grokscope/cli/package.json')), 'dist', 'bin.js');
const here = path.resolve(__dirname, '..');
const cli = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: here, timeout: 240000 });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-kinds-'));
  dirs.push(d);
  return d;
};

test('registered, the kinds are built and named like the built-ins, their schemas supplying defaults and errors', async () => {
  expect(taskKinds.kinds()).toEqual(expect.arrayContaining(['cyclic', 'squares']));
  expect(modelKinds.kinds()).toEqual(expect.arrayContaining(['transformer', 'bag']));
  const task = taskFromSpec({ kind: 'squares', modulus: 5 });
  expect(Array.from(task.examples.label.slice(0, 5))).toEqual([0, 1, 4, 4, 1]); // 0² + y² mod 5
  expect(taskFromSpec({ kind: 'squares' }).order).toBe(23);
  expect(describeTaskConfig({ kind: 'squares', modulus: 5 })).toBe('x²+y² mod 5');
  expect(() => taskFromSpec({ kind: 'squares', modulos: 5 })).toThrow(
    /^task\.modulos: unknown field.*did you mean "modulus"/,
  );
  expect(describeModelConfig({ kind: 'bag' })).toBe('embedding bag, width 64');
  await useBackend('cpu');
  const model = createModel(task, { kind: 'bag', width: 8 }, 0);
  const logits = tf.tidy(
    () =>
      model
        .forward({ a: tf.tensor1d([1, 2], 'int32'), b: tf.tensor1d([2, 1], 'int32') })
        .logits.arraySync() as number[][],
  );
  expect(logits[0]).toEqual(logits[1]); // a bag cannot tell (a, b) from (b, a)
  model.dispose();
});

test('the CLI trains both from a config file naming their files: no core or CLI change was needed', () => {
  const out = path.join(tmp(), 'run');
  const r = cli(['train', '--config', 'grokscope.json', '--out', out, '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const steps = fs
    .readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { step: number }).step);
  expect(steps).toEqual([0, 20, 40]);
});

test("the memory check refuses a run by the kinds' own estimates, with their own advice", () => {
  const dir = tmp();
  const base = JSON.parse(fs.readFileSync(path.join(here, 'grokscope.json'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  const refuse = (modulus: number, width: number) => {
    const file = path.join(dir, `${modulus}-${width}.json`);
    const task = { ...base['task'], module: path.join(here, 'dist/squaresKind.js'), options: { modulus } };
    const model = { module: path.join(here, 'dist/bagKind.js'), options: { width } };
    fs.writeFileSync(file, JSON.stringify({ ...base, task, model }));
    const r = cli(['train', '--config', file, '--out', path.join(dir, 'run')]);
    expect(r.status).toBe(2);
    return r.stderr;
  };
  const bigTask = refuse(3000, 8);
  expect(bigTask).toMatch(
    /squares mod 3000 \(3,000 elements, 9,000,000 pairs\) with embedding bag, width 8 needs about/,
  );
  expect(bigTask).toMatch(/To fit: lower task\.options\.modulus to \d+ or less/);
  const wideModel = refuse(23, 2_000_000);
  expect(wideModel).toMatch(/with embedding bag, width 2000000 needs about/);
  expect(wideModel).toMatch(/use a smaller model \(e\.g\. model\.options\.width \d+\)/);
  expect(wideModel).not.toMatch(/dModel|transformer/);
});
