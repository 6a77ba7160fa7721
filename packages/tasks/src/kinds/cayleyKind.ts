import { z } from 'zod';
import { baseName, readCayleyText, resolveFrom } from '../cayleyFile';
import { loadCayleyTable } from '../cayleyTable';
import { defineTaskKind, splitFields } from '../taskKind';

/** A group given by its Cayley table, a .json or .csv file (a relative path is resolved from `baseDir`). */
export const cayleyKind = defineTaskKind({
  kind: 'cayley',
  schema: z.strictObject({ kind: z.literal('cayley'), path: z.string().min(1), ...splitFields }),
  create: (c, context) => loadCayleyTable(resolveFrom(context.baseDir, c.path)),
  describe: (c) => `Cayley table ${baseName(c.path)}`,
  size: (c, context) => {
    const order = cayleyOrder(resolveFrom(context.baseDir, c.path));
    return order === null ? null : { name: baseName(c.path), order, pairs: order * order };
  },
  // No size knob: a table is what it is.
});

/** Elements in a Cayley table file: `elements` of a .json, the header of a .csv; null if unreadable. */
function cayleyOrder(file: string): number | null {
  try {
    const text = readCayleyText(file); // refuses devices, FIFOs and huge files before reading
    if (file.toLowerCase().endsWith('.json')) {
      const elements = (JSON.parse(text) as { elements?: unknown }).elements;
      return Array.isArray(elements) && elements.length > 0 ? elements.length : null;
    }
    const header = text.split(/\r?\n/).find((l) => l.trim() !== '');
    return header === undefined ? null : Math.max(1, header.split(',').length - 1);
  } catch {
    return null;
  }
}
