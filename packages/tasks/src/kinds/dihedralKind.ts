import { largestInteger } from '@grokscope/base';
import { z } from 'zod';
import { DIHEDRAL_DEFAULT_N, dihedralTask } from '../dihedralGroup';
import { defineTaskKind, splitFields } from '../taskKind';

/** D_n, the symmetries of a regular n-gon (order 2n; D4 by default). */
export const dihedralKind = defineTaskKind({
  kind: 'dihedral',
  schema: z.strictObject({
    kind: z.literal('dihedral'),
    n: z.number().int().min(3).default(DIHEDRAL_DEFAULT_N),
    ...splitFields,
  }),
  create: (c) => dihedralTask({ n: c.n }),
  describe: (c) => `D${c.n}`,
  size: (c) => ({ name: `D${c.n}`, order: 2 * c.n, pairs: 4 * c.n * c.n }),
  shrink: (c, fits, at) => {
    const n = largestInteger(3, c.n - 1, (x) => fits({ ...c, n: x }));
    return n === null ? null : `${at}.n to ${n} or less`;
  },
});
