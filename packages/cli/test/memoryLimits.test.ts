/**
 * Sizes the schema accepts but no backend can hold are refused up front:
 * within seconds, before the backend loads and before a run directory exists, with the
 * estimate, the backend's limit and what to change. Sizes inside the limit pass the check
 * (the plan is checked, never trained: see docs/limits.md for the measured sizes).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '@grokscope/core';
import { planRun } from '../src/buildTrainer';
import { runConfigSchema, type RunConfig } from '../src/configSchema';
import { checkMemory } from '../src/memoryCheck';
import { bin, tmp } from './cliHarness';

const paper = { kind: 'transformer', dModel: 128, heads: 4, dMlp: 512 };

/** `train` on a config file, killed after 15 s: a refusal must come long before. */
function train(task: object, extra: string[] = []) {
  const dir = tmp();
  const file = path.join(dir, 'big.json');
  // The schema's default split (0.3), as `config` below uses: not the quick preset's, which a config file starts from.
  fs.writeFileSync(
    file,
    JSON.stringify({ task: { trainFraction: 0.3, ...task }, model: paper, train: { steps: 1, evalEvery: 1 } }),
  );
  const out = path.join(dir, 'run');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [bin, 'train', '--config', file, '--out', out, ...extra], {
    encoding: 'utf8',
    timeout: 15000,
  });
  return { ...r, seconds: (Date.now() - t0) / 1000, out };
}

const config = (task: object, more: object = {}): RunConfig =>
  runConfigSchema.parse({ task, model: paper, train: { steps: 1 }, ...more });
const refusal = (c: RunConfig): ConfigError => {
  try {
    checkMemory(c, process.cwd(), 16e9);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('not refused');
};

test('modulus 4999 is refused in seconds, with the estimate, the wasm limit and what to change; no run directory', () => {
  const r = train({ kind: 'cyclic', modulus: 4999 });
  expect(r.error).toBeUndefined(); // not killed by the timeout
  expect(r.status).toBe(2);
  expect(r.seconds).toBeLessThan(10);
  expect(r.stderr).toMatch(
    /^config error: memory: mod4999-add \(4,999 elements, 24,990,001 pairs\) with transformer d128, 4 heads, 1 layer needs about 3\.53 TB of tensor memory/,
  );
  expect(r.stderr).toMatch(/more than the wasm backend's limit of 3\.90 GB: WebAssembly memory is 32-bit/);
  expect(r.stderr).toMatch(/To fit: lower task\.modulus to 433 or less \(a prime\)/);
  expect(r.stderr).toMatch(
    /task\.trainFraction and train\.batchSize cannot help: every evaluation runs the model over all 24,990,001 pairs at once/,
  );
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(fs.existsSync(r.out)).toBe(false);
});

test('S7 (n = 7, which the schema allows) is refused in seconds; no run directory', () => {
  const r = train({ kind: 'symmetric', n: 7 });
  expect(r.error).toBeUndefined();
  expect(r.status).toBe(2);
  expect(r.seconds).toBeLessThan(10);
  expect(r.stderr).toMatch(
    /^config error: memory: S7 \(5,040 elements, 25,401,600 pairs\) .* needs about 3\.62 TB .* wasm backend's limit of 3\.90 GB/,
  );
  expect(r.stderr).toMatch(/To fit: lower task\.n to 5 or less/);
  expect(fs.existsSync(r.out)).toBe(false);
});

test('on the cpu backend, modulus 4999 is refused against the typed-array and RAM limits', () => {
  const r = train({ kind: 'cyclic', modulus: 4999 }, ['--backend', 'cpu']);
  expect(r.status).toBe(2);
  expect(r.seconds).toBeLessThan(10);
  expect(r.stderr).toMatch(
    /needs about 3\.53 TB of tensor memory .* more than the cpu backend's limit of [\d.]+ GB: the cpu backend keeps each tensor in one JavaScript typed array \(at most \d+ elements\)/,
  );
  expect(fs.existsSync(r.out)).toBe(false);
});

test('sizes just inside the wasm limit pass the check; the next ones are refused', () => {
  // Measured (docs/limits.md): p = 433 trains one step and evaluates on wasm; p = 443 aborts.
  const inside = checkMemory(config({ kind: 'cyclic', modulus: 433 }))!;
  expect(inside.estimate.bytes).toBeGreaterThan(3.8e9);
  expect(inside.estimate.bytes).toBeLessThanOrEqual(inside.limit.bytes);
  expect(planRun(config({ kind: 'cyclic', modulus: 433 })).task.order).toBe(433); // the plan builds
  expect(() => planRun(config({ kind: 'cyclic', modulus: 439 }))).toThrow(/^memory: mod439-add/);
  expect(() => planRun(config({ kind: 'cyclic', modulus: 443 }))).toThrow(ConfigError);
  // S5, the study's group, is far inside; S6 is not.
  expect(checkMemory(config({ kind: 'symmetric', n: 5 }))!.estimate.bytes).toBeLessThan(1e9);
  expect(() => planRun(config({ kind: 'symmetric', n: 6 }))).toThrow(/^memory: S6 \(720 elements, 518,400 pairs\)/);
});

test('what the refusal suggests does fit', () => {
  // Z/401Z with 60% of the pairs for training: the step is too large, the evaluation is not.
  const c = config({ kind: 'cyclic', modulus: 401, trainFraction: 0.6 });
  const err = refusal(c);
  expect(err).toBeInstanceOf(ConfigError);
  expect(err.field).toBe('memory');
  const modulus = Number(/lower task\.modulus to (\d+) or less/.exec(err.message)![1]);
  const fraction = Number(/lower task\.trainFraction to ([\d.]+) or less/.exec(err.message)![1]);
  const batch = Number(/set train\.batchSize to ([\d,]+) or less/.exec(err.message)![1]!.replace(/,/g, ''));
  const model = /e\.g\. model\.dModel (\d+) and model\.dMlp (\d+)/.exec(err.message)!;
  expect(err.message).toMatch(/use --backend tensorflow \(native TensorFlow, limited by the 16\.0 GB of RAM here\)/);
  const fits = (x: RunConfig) => checkMemory(x, process.cwd(), 16e9) !== null;
  expect(fits(config({ kind: 'cyclic', modulus, trainFraction: 0.6 }))).toBe(true);
  expect(fits(config({ kind: 'cyclic', modulus: 401, trainFraction: fraction }))).toBe(true);
  expect(
    fits(config({ kind: 'cyclic', modulus: 401, trainFraction: 0.6 }, { train: { steps: 1, batchSize: batch } })),
  ).toBe(true);
  expect(
    fits(
      config(
        { kind: 'cyclic', modulus: 401, trainFraction: 0.6 },
        { model: { ...paper, dModel: Number(model[1]), dMlp: Number(model[2]) } },
      ),
    ),
  ).toBe(true);
  // ... and is the largest that does.
  expect(() =>
    checkMemory(
      config({ kind: 'cyclic', modulus: 401, trainFraction: 0.6 }, { train: { steps: 1, batchSize: batch + 1 } }),
      process.cwd(),
      16e9,
    ),
  ).toThrow(ConfigError);
  expect(() =>
    checkMemory(config({ kind: 'cyclic', modulus: 401, trainFraction: fraction + 0.01 }), process.cwd(), 16e9),
  ).toThrow(ConfigError);
  expect(() => checkMemory({ ...c, backend: 'tensorflow' }, process.cwd(), 16e9)).not.toThrow();
});

test('a Cayley table is sized from its file before it is built', () => {
  const dir = tmp();
  const file = path.join(dir, 'z3.csv');
  fs.writeFileSync(file, '∘,0,1,2\n0,0,1,2\n1,1,2,0\n2,2,0,1\n');
  const check = checkMemory(
    runConfigSchema.parse({ task: { kind: 'cayley', path: 'z3.csv' }, model: paper, train: { steps: 1 } }),
    dir,
  )!;
  expect(check.task).toEqual({ name: 'z3.csv', order: 3, pairs: 9 });
});
