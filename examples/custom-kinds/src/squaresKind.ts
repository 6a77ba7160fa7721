import { defineTaskKind, groupTask } from '@grokscope/tasks';
import { z } from 'zod';

/**
 * x ∘ y = x² + y² mod p over every ordered pair: a commutative operation that is not a group, as a
 * task kind. Everything grokscope needs to know about it is here: the schema of its config (with
 * its default), how to build it, how progress lines name it, its size without building it (for
 * the memory check) and the largest modulus that fits when a run would not.
 */
export const squaresKind = defineTaskKind({
  kind: 'squares',
  schema: z.strictObject({ kind: z.literal('squares'), modulus: z.number().int().min(3).default(23) }),
  create: (c) =>
    groupTask({
      name: `squares mod ${c.modulus}`,
      labels: Array.from({ length: c.modulus }, (_, k) => String(k)),
      op: (a, b) => (a * a + b * b) % c.modulus,
      // The operation commutes; `abelian` says so for a task that is not a group.
      abelian: true,
    }),
  describe: (c) => `x²+y² mod ${c.modulus}`,
  size: (c) => ({ name: `squares mod ${c.modulus}`, order: c.modulus, pairs: c.modulus * c.modulus }),
  shrink: (c, fits, at) => {
    for (let p = c.modulus - 1; p >= 3; p--) if (fits({ ...c, modulus: p })) return `${at}.modulus to ${p} or less`;
    return null;
  },
});

export default squaresKind;
