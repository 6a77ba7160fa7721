import { largestInteger } from '@grokscope/base';
import { z } from 'zod';
import { SYMMETRIC_DEFAULT_N, symmetricTask } from '../symmetricGroup';
import { defineTaskKind, splitFields } from '../taskKind';

/** S_n, the permutations of n things (S5, 120 elements, by default). */
export const symmetricKind = defineTaskKind({
  kind: 'symmetric',
  schema: z.strictObject({
    kind: z.literal('symmetric'),
    n: z.number().int().min(2).max(7).default(SYMMETRIC_DEFAULT_N),
    ...splitFields,
  }),
  create: (c) => symmetricTask({ n: c.n }),
  describe: (c) => `S${c.n}`,
  size: (c) => {
    let order = 1;
    for (let k = 2; k <= c.n; k++) order *= k;
    return { name: `S${c.n}`, order, pairs: order * order };
  },
  shrink: (c, fits, at) => {
    const n = largestInteger(2, c.n - 1, (x) => fits({ ...c, n: x }));
    return n === null ? null : `${at}.n to ${n} or less`;
  },
});
