import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../src/backend/backend';
import '../src/backend/registerGradients';

const { bundleTfjsGradients, target } = require('../../../scripts/bundleTfjsGradients.js') as {
  bundleTfjsGradients: () => string;
  target: string;
};

/**
 * vendor/tfjsGradients.js is generated (docs/packaging.md § Install sizes): it must be what the
 * generator makes from the installed tfjs-core, or a tfjs-core upgrade would run with the old
 * version's gradients.
 */
test('the committed gradient bundle is what scripts/bundleTfjsGradients.js generates', () => {
  expect(path.relative(path.resolve(__dirname, '..'), target)).toBe(path.join('vendor', 'tfjsGradients.js'));
  const committed = fs.readFileSync(target, 'utf8');
  const fresh = bundleTfjsGradients();
  // Compare lengths first: a mismatch of a 290 kB string is unreadable in a diff.
  expect(committed.length).toBe(fresh.length);
  expect(committed === fresh).toBe(true);
});

test('gradients of the ops the models use are registered into the CommonJS tfjs-core', async () => {
  await useBackend('cpu');
  // d/dx sum(softmax(x) * w) and d/dW sum(relu(xW)) against hand-worked values.
  const w = tf.tensor1d([1, 0]);
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), w)))(tf.tensor1d([0, 0]));
  // softmax([0,0]) = [½,½]; ∂/∂x₀ of s₀ = s₀(1−s₀) = ¼, ∂/∂x₁ of s₀ = −s₀s₁ = −¼.
  expect(Array.from(await g.data())).toEqual([0.25, -0.25]);
  const x = tf.tensor2d([[1, -2]]);
  const gw = tf.grad((W: tf.Tensor) => tf.sum(tf.relu(tf.matMul(x, W as tf.Tensor2D))))(tf.tensor2d([[1], [1]]));
  // xW = 1 − 2 = −1 < 0: relu passes no gradient.
  expect(Array.from(await gw.data())).toEqual([0, 0]);
  for (const kernel of [
    'BatchMatMul',
    'GatherV2',
    'Softmax',
    'Relu',
    'Sum',
    'Mean',
    'Log',
    'Exp',
    'Transpose',
    'Reshape',
    'Sub',
    'RealDiv',
  ]) {
    expect([kernel, tf.getGradient(kernel) !== undefined]).toEqual([kernel, true]);
  }
});
