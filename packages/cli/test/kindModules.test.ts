/**
 * A task kind and a model kind that exist nowhere in grokscope, registered at run time by the
 * modules a config names, take the built-ins' road: their schema checks the options, the CLI
 * trains them, and the memory check judges them by their own size, memory and shrink advice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, type Optimizer, optimizerKinds } from '@grokscope/core';
import { modelKinds } from '@grokscope/models';
import { taskKinds } from '@grokscope/tasks';
import { planRun } from '../src/buildTrainer';
import { checkMemory } from '../src/memoryCheck';
import { resolveOptimizer } from '../src/resolveComponents';
import { validateConfig } from '../src/validateConfig';
import { metrics, run, tmp } from './cliHarness';

const dir = tmp();
const zod = JSON.stringify(require.resolve('zod'));
// The built package, as the CLI's own process loads it.
const models = JSON.stringify(path.resolve(__dirname, '../../models/dist/index.js'));
// x² + y² mod p over every ordered pair: a task kind with its own size and shrink advice.
fs.writeFileSync(
  path.join(dir, 'squares.js'),
  `const { z } = require(${zod});
module.exports = {
  kind: 'squares',
  schema: z.strictObject({ kind: z.literal('squares'), modulus: z.number().int().min(3).default(7) }),
  create: (c) => {
    const p = c.modulus, a = [], b = [], label = [];
    for (let x = 0; x < p; x++) for (let y = 0; y < p; y++) { a.push(x); b.push(y); label.push((x * x + y * y) % p); }
    return { name: 'squares' + p, order: p, abelian: true, elementLabels: a.slice(0, p).map(String), vocabSize: p + 1, equalsToken: p, numClasses: p,
      examples: { a: Int32Array.from(a), b: Int32Array.from(b), label: Int32Array.from(label) } };
  },
  describe: (c) => 'x²+y² mod ' + c.modulus,
  size: (c) => ({ name: 'squares' + c.modulus, order: c.modulus, pairs: c.modulus * c.modulus }),
  shrink: (c, fits, at) => { for (let p = c.modulus - 1; p >= 3; p = Math.floor(p * 0.9)) if (fits({ ...c, modulus: p })) return at + '.modulus to ' + p + ' or less'; return null; },
};`,
);
// A model kind of one width knob, built from the MLP class, with its own (deliberately generous) memory and advice.
fs.writeFileSync(
  path.join(dir, 'bag.js'),
  `const { z } = require(${zod});
const { Mlp } = require(${models});
module.exports = {
  kind: 'bag',
  schema: z.strictObject({ kind: z.literal('bag'), width: z.number().int().positive().default(16) }),
  create: (shape, c, seed) => new Mlp(shape, { dEmbed: c.width, hidden: [c.width] }, seed),
  describe: (c) => 'a bag of width ' + c.width,
  memory: (shape, c) => ({
    parameters: shape.vocabSize * c.width + 2 * c.width * c.width + c.width + c.width * shape.numClasses + shape.numClasses,
    perRow: {
      train: [{ what: 'bag activations [rows, width]', count: 64, width: c.width }, { what: 'logits and loss', count: 24, width: shape.numClasses }],
      eval: [{ what: 'bag activations [rows, width]', count: 16, width: c.width }],
    },
  }),
  shrink: (c, fits, at) => { for (let w = Math.floor(c.width / 2); w >= 1; w = Math.floor(w / 2)) if (fits({ ...c, width: w })) return at + '.width ' + w; return null; },
};`,
);
const core = JSON.stringify(path.resolve(__dirname, '../../core/dist/index.js'));
// An optimiser kind: plain SGD whose only option is its rate, built from core's Sgd.
fs.writeFileSync(
  path.join(dir, 'plainSgd.js'),
  `const { z } = require(${zod});
const { Sgd } = require(${core});
module.exports = {
  kind: 'plain-sgd',
  schema: z.strictObject({ name: z.literal('plain-sgd'), lr: z.number().positive().default(0.1) }),
  create: (c) => new Sgd({ lr: c.lr }),
  describe: (c) => 'plain SGD lr ' + c.lr,
};`,
);
const config = (task: object, model: object) =>
  validateConfig({
    task: { module: './squares.js', ...task },
    model: { module: './bag.js', ...model },
    train: { steps: 2, evalEvery: 1 },
    probes: ['accuracy'],
  });
const refusal = (task: object, model: object): ConfigError => {
  try {
    checkMemory(config(task, model), dir, 16e9);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('not refused');
};

test('a module exporting a kind descriptor registers it, and its schema checks the options by name', () => {
  const plan = planRun(config({ options: { modulus: 5 } }, {}), dir);
  expect(plan.task.examples.label.length).toBe(25);
  expect(taskKinds.has('squares')).toBe(true);
  expect(modelKinds.has('bag')).toBe(true);
  expect(() => planRun(config({ options: { modulos: 5 } }, {}), dir)).toThrow(
    /^task\.options\.modulos: unknown field.*did you mean "modulus"/,
  );
  expect(() => planRun(config({}, { options: { width: 0 } }), dir)).toThrow(
    /^model\.options\.width: got 0; must be ≥ 1|^model\.options\.width: got 0; must be > 0/,
  );
});

test('an optimiser module exporting a kind descriptor is registered and built with its parsed options', () => {
  const c = (options: object) =>
    validateConfig({
      task: { kind: 'cyclic', modulus: 5 },
      model: { kind: 'mlp' },
      optimizer: { module: './plainSgd.js', options },
      train: { steps: 1 },
    });
  const optimizer = resolveOptimizer(c({ lr: 0.05 }).optimizer, dir) as Optimizer;
  expect([optimizer.name, optimizer.learningRate]).toEqual(['sgd', 0.05]);
  expect(optimizerKinds.has('plain-sgd')).toBe(true);
  expect(() => resolveOptimizer(c({ rate: 0.05 }).optimizer, dir)).toThrow(/^optimizer\.options\.rate: unknown field/);
});

test("the memory check sizes the task and the model by the kinds' own estimates and gives their own advice", () => {
  const fits = checkMemory(config({ options: { modulus: 31 } }, { options: { width: 32 } }), dir, 16e9)!;
  expect(fits.task).toEqual({ name: 'squares31', order: 31, pairs: 961 });
  expect(fits.estimate.terms.map((t) => t.what)).toContain('bag activations [rows, width]');

  const wide = refusal({ options: { modulus: 7 } }, { options: { width: 200000 } });
  expect(wide.message).toMatch(/^memory: squares7 \(7 elements, 49 pairs\) with a bag of width 200000 needs about/);
  expect(wide.message).toMatch(/use a smaller model \(e\.g\. model\.options\.width \d+\)/);

  const big = refusal({ options: { modulus: 20000 } }, { options: { width: 8 } });
  expect(big.message).toMatch(/To fit: lower task\.options\.modulus to \d+ or less/);
  expect(big.message).not.toMatch(/dModel|a transformer/);
});

test('the CLI trains the three kinds from a config file, and refuses a model its kind says is too large', () => {
  const file = path.join(dir, 'kinds.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      task: { module: './squares.js', options: { modulus: 5 }, trainFraction: 0.6 },
      model: { module: './bag.js', options: { width: 8 } },
      optimizer: { module: './plainSgd.js', options: { lr: 0.05 } },
      train: { steps: 2, evalEvery: 1 },
    }),
  );
  const out = path.join(dir, 'run');
  const r = run(['train', '--config', file, '--out', out, '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(metrics(out).map((m) => m.step)).toEqual([0, 1, 2]);

  fs.writeFileSync(
    file,
    JSON.stringify({
      task: { module: './squares.js', options: { modulus: 5 } },
      model: { module: './bag.js', options: { width: 300000 } },
      train: { steps: 2 },
    }),
  );
  const refused = run(['train', '--config', file, '--out', path.join(dir, 'refused')]);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toMatch(
    /with a bag of width 300000 needs about .*use a smaller model \(e\.g\. model\.options\.width \d+\)/s,
  );
  expect(fs.existsSync(path.join(dir, 'refused'))).toBe(false);
});
