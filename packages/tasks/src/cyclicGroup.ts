import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/core/errors';
import { groupTask } from './groupTask';

/**
 * The operations over Z/pZ, one definition each. `nonZeroB`: b ranges over 1..p−1 (division);
 * `units`: both operands and the result are the non-zero residues (the multiplicative group).
 */
const OPS = {
  add: { f: (a: number, b: number, p: number) => (a + b) % p },
  sub: { f: (a: number, b: number, p: number) => (a - b + p) % p },
  mul: { f: (a: number, b: number, p: number) => (a * b) % p, units: true },
  div: { f: (a: number, b: number, p: number) => (a * inverse(b, p)) % p, nonZeroB: true },
  'a2+b2': { f: (a: number, b: number, p: number) => (a * a + b * b) % p },
  'a2+ab+b2': { f: (a: number, b: number, p: number) => (a * a + a * b + b * b) % p },
  'a3+ab': { f: (a: number, b: number, p: number) => (a * a * a + a * b) % p },
} as const satisfies Record<string, { f: (a: number, b: number, p: number) => number; units?: boolean; nonZeroB?: boolean }>;

export type CyclicOp = keyof typeof OPS;
export const CYCLIC_OPS = Object.keys(OPS) as CyclicOp[];

export interface CyclicTaskOptions {
  readonly modulus?: number;
  readonly op?: CyclicOp;
}

/**
 * a∘b over Z/pZ (p prime, 97 by default). Tokens stand for residues 0..p−1, except for `mul`,
 * whose elements are the non-zero residues 1..p−1 (token i is residue i+1). `div` is a·b⁻¹
 * with a in 0..p−1 and b in 1..p−1. `abelian` describes the group Z/pZ (or its units), which
 * is abelian, whatever the operation's own symmetry.
 */
export function cyclicTask(options: CyclicTaskOptions = {}): Task {
  const p = options.modulus ?? 97;
  const op = options.op ?? 'add';
  if (!Number.isInteger(p) || p < 3 || !isPrime(p)) {
    throw new ConfigError('task.modulus', `must be a prime ≥ 3, got ${p} (e.g. 31, 59, 97, 113)`);
  }
  const def = OPS[op];
  if (!def) throw new ConfigError('task.op', `unknown operation "${op}"; choose one of ${CYCLIC_OPS.join(', ')}`);
  const units = 'units' in def && def.units;
  const residues = Int32Array.from({ length: units ? p - 1 : p }, (_, i) => (units ? i + 1 : i));
  const token = (r: number) => (units ? r - 1 : r);
  return groupTask({
    name: `mod${p}-${op}`,
    labels: [...residues].map(String),
    abelian: true,
    cyclic: { modulus: p, residues },
    op: (i, j) => {
      const [ra, rb] = [residues[i]!, residues[j]!];
      if ('nonZeroB' in def && def.nonZeroB && rb === 0) return -1;
      return token(def.f(ra, rb, p));
    },
  });
}

export function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let k = 2; k * k <= n; k++) if (n % k === 0) return false;
  return true;
}

/** b⁻¹ mod p by Fermat: b^(p−2). */
function inverse(b: number, p: number): number {
  let result = 1;
  let base = b % p;
  let e = p - 2;
  while (e > 0) {
    if (e & 1) result = (result * base) % p;
    base = (base * base) % p;
    e >>= 1;
  }
  return result;
}
