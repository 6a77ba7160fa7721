import { largestInteger } from '@grokscope/base';
import { z } from 'zod';
import { CYCLIC_DEFAULTS, CYCLIC_OPS, cyclicTask, isPrime, type CyclicOp } from '../cyclicGroup';
import { defineTaskKind, splitFields } from '../taskKind';

/** Z/pZ under one of `CYCLIC_OPS` (`add mod 97`, the study's task). */
export const cyclicKind = defineTaskKind({
  kind: 'cyclic',
  schema: z.strictObject({
    kind: z.literal('cyclic'),
    modulus: z.number().int().min(3).default(CYCLIC_DEFAULTS.modulus),
    op: z.enum(CYCLIC_OPS as [CyclicOp, ...CyclicOp[]]).default(CYCLIC_DEFAULTS.op),
    ...splitFields,
  }),
  create: (c) => cyclicTask({ modulus: c.modulus, op: c.op }),
  describe: (c) => `${c.op} mod ${c.modulus}`,
  // Z/pZ has p elements (p − 1 for `mul`) and |G|² pairs (p(p − 1) for `div`); unknown for a modulus that is not prime.
  size: (c) => {
    const p = c.modulus;
    if (!isPrime(p)) return null;
    const order = c.op === 'mul' ? p - 1 : p;
    return { name: `mod${p}-${c.op}`, order, pairs: c.op === 'div' ? p * (p - 1) : order * order };
  },
  shrink: (c, fits, at) => {
    // Monotone in p only over primes: a modulus that is not prime stands for the largest prime below it.
    const primeAtOrBelow = (x: number) => {
      while (x > 3 && !isPrime(x)) x--;
      return x;
    };
    const p = largestInteger(3, c.modulus - 1, (x) => fits({ ...c, modulus: primeAtOrBelow(x) }));
    return p === null ? null : `${at}.modulus to ${primeAtOrBelow(p)} or less (a prime)`;
  },
});
