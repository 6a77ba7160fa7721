import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/base';
import { groupTask } from './groupTask';

interface OpDefinition {
  /** a∘b as a residue mod p; a and b are residues. */
  readonly f: (a: number, b: number, p: number) => number;
  /** `units`: the elements are the non-zero residues 1..p−1 (the multiplicative group). */
  readonly elements: 'residues' | 'units';
  /** `nonZero`: b ranges over 1..p−1 only (division), so the task has p(p−1) examples. */
  readonly b: 'all' | 'nonZero';
}

/**
 * Every operation over Z/pZ, defined once. The polynomial ones are those of the original
 * grokking study (Power et al., 2022). Products stay below 2^53 because groupTask caps p².
 */
const OPS = {
  add: { f: (a, b, p) => (a + b) % p, elements: 'residues', b: 'all' },
  sub: { f: (a, b, p) => (a - b + p) % p, elements: 'residues', b: 'all' },
  mul: { f: (a, b, p) => (a * b) % p, elements: 'units', b: 'all' },
  div: { f: (a, b, p) => (a * modInverse(b, p)) % p, elements: 'residues', b: 'nonZero' },
  'a2+b2': { f: (a, b, p) => (a * a + b * b) % p, elements: 'residues', b: 'all' },
  'a2+ab+b2': { f: (a, b, p) => (a * a + a * b + b * b) % p, elements: 'residues', b: 'all' },
  'a2+ab+b2+a': { f: (a, b, p) => (a * a + a * b + b * b + a) % p, elements: 'residues', b: 'all' },
  'a3+ab': { f: (a, b, p) => (a * a * a + a * b) % p, elements: 'residues', b: 'all' },
  'a3+ab2+b': { f: (a, b, p) => (a * a * a + a * b * b + b) % p, elements: 'residues', b: 'all' },
} as const satisfies Record<string, OpDefinition>;

export type CyclicOp = keyof typeof OPS;
export const CYCLIC_OPS: readonly CyclicOp[] = Object.freeze(Object.keys(OPS) as CyclicOp[]);

/** The study's task, add mod 97: what `cyclicTask` and the `cyclic` kind's schema default to. */
export const CYCLIC_DEFAULTS = Object.freeze({ modulus: 97, op: 'add' as CyclicOp });

export interface CyclicTaskOptions {
  /** A prime p ≥ 3; 97 by default. */
  readonly modulus?: number;
  /** `add` by default. */
  readonly op?: CyclicOp;
}

/**
 * a∘b over Z/pZ. Tokens stand for the residues 0..p−1 (`cyclic.residues[token]`), except for
 * `mul`, whose elements are the non-zero residues: token i is residue i+1, order p−1. `div` is
 * a·b⁻¹ with a in 0..p−1 and b in 1..p−1 (labels in 0..p−1), as in the original study: p(p−1)
 * examples, vocabulary p+1. `abelian` is always true because it describes the group (Z/pZ, or
 * its units), which is commutative, not the operation: a−b, a·b⁻¹, a³+ab are not symmetric.
 */
export function cyclicTask(options: CyclicTaskOptions = {}): Task {
  const p = options.modulus ?? CYCLIC_DEFAULTS.modulus;
  const op = options.op ?? CYCLIC_DEFAULTS.op;
  checkModulus(p);
  if (typeof op !== 'string' || !Object.hasOwn(OPS, op)) {
    throw new ConfigError('task.op', `unknown operation ${JSON.stringify(op)}; choose one of ${CYCLIC_OPS.join(', ')}`);
  }
  const def: OpDefinition = OPS[op];
  const units = def.elements === 'units';
  const residues = Int32Array.from({ length: units ? p - 1 : p }, (_, i) => (units ? i + 1 : i));
  const tokenOf = (r: number) => (units ? r - 1 : r);
  return groupTask({
    name: `mod${p}-${op}`,
    labels: Array.from(residues, String),
    abelian: true,
    cyclic: { modulus: p, residues },
    op: (i, j) => (def.b === 'nonZero' && residues[j] === 0 ? -1 : tokenOf(def.f(residues[i]!, residues[j]!, p))),
  });
}

export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let k = 2; k * k <= n; k++) if (n % k === 0) return false;
  return true;
}

function checkModulus(p: unknown): asserts p is number {
  if (typeof p !== 'number' || !Number.isFinite(p)) {
    throw new ConfigError('task.modulus', `must be a prime number, got ${JSON.stringify(p)}; 97 is the study's`);
  }
  if (p < 3)
    throw new ConfigError('task.modulus', `must be a prime ≥ 3, got ${p}; try 97 (the study's), or 3 for the smallest`);
  if (isPrime(p)) return;
  let below = Math.floor(p);
  while (!isPrime(below)) below--;
  let above = Math.ceil(p);
  while (!isPrime(above)) above++;
  const why = Number.isInteger(p) ? `${p} = ${smallestFactor(p)}·${p / smallestFactor(p)}` : `${p} is not an integer`;
  throw new ConfigError(
    'task.modulus',
    `must be a prime ≥ 3, got ${p} (${why}); the nearest primes are ${below} and ${above}`,
  );
}

function smallestFactor(n: number): number {
  for (let k = 2; k * k <= n; k++) if (n % k === 0) return k;
  return n;
}

/** b⁻¹ mod p by Fermat's little theorem: b^(p−2). */
function modInverse(b: number, p: number): number {
  let result = 1;
  let base = b % p;
  for (let e = p - 2; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = (result * base) % p;
    base = (base * base) % p;
  }
  return result;
}
