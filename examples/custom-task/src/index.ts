import { ConfigError, type Task, type TaskContext } from '@grokscope/core';

export interface QuadraticFormOptions {
  /** p: tokens are the residues 0..p−1. */
  readonly modulus?: number;
}

/**
 * x ∘ y = x² + xy + y² mod p: a commutative operation that is not a group (no identity: 0 ∘ y = y²),
 * so none of the built-in group tasks can state it. Every ordered pair is an example. Written
 * against `@grokscope/core`'s `Task` alone; a config names it as
 * `task: { module: "./dist/index.js", options: { modulus: 23 } }` (README.md).
 */
export function quadraticFormTask(options: Readonly<Record<string, unknown>> = {}, _context?: TaskContext): Task {
  for (const key of Object.keys(options)) {
    if (key !== 'modulus')
      throw new ConfigError(`task.options.${key}`, 'unknown option; the quadratic-form task takes only modulus');
  }
  const p = (options as QuadraticFormOptions).modulus ?? 23;
  if (!Number.isInteger(p) || p < 3)
    throw new ConfigError('task.options.modulus', `must be an integer ≥ 3, got ${JSON.stringify(p)}`);
  const n = p * p;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const label = new Int32Array(n);
  for (let x = 0; x < p; x++) {
    for (let y = 0; y < p; y++) {
      const i = x * p + y;
      a[i] = x;
      b[i] = y;
      label[i] = (x * x + x * y + y * y) % p;
    }
  }
  const residues = Int32Array.from({ length: p }, (_, k) => k);
  return {
    name: `x²+xy+y² mod ${p}`,
    order: p,
    // The operation commutes; `abelian` says so for a task that is not a group.
    abelian: true,
    elementLabels: [...residues].map(String),
    vocabSize: p + 1,
    equalsToken: p,
    numClasses: p,
    // Tokens are residues mod p, so the Fourier probe's analysis applies.
    cyclic: { modulus: p, residues },
    examples: { a, b, label },
  };
}

export default quadraticFormTask;
