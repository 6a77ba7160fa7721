import * as path from 'node:path';
import { readCayleyText } from './cayleyTable';
import { isPrime } from './cyclicGroup';
import type { TaskConfig } from './taskConfigSchema';

/** A task's size, told from its config without building it (building S7's 25M pairs alone takes ~20 s). */
export interface TaskSize {
  readonly name: string;
  /** |G|: the number of elements, classes and element tokens. */
  readonly order: number;
  /** (a, b) pairs the task holds. */
  readonly pairs: number;
}

/**
 * The size of the task a parsed config asks for: Z/pZ has p elements (p − 1 for `mul`) and |G|²
 * pairs (p(p − 1) for `div`), S_n has n!, D_n has 2n, a Cayley table as many as its header
 * lists. It lives beside the schema because the package that owns a kind owns its size: a new
 * kind gets its case here, and test/taskConfigSize.test.ts checks each against the built task.
 * Null when that cannot be told cheaply (a modulus that is not prime, a table that does not
 * parse): building the task then gives the named error. A relative Cayley path is resolved
 * from `baseDir`.
 */
export function taskConfigSize(task: TaskConfig, baseDir = process.cwd()): TaskSize | null {
  switch (task.kind) {
    case 'cyclic': {
      const p = task.modulus;
      if (!isPrime(p)) return null;
      const order = task.op === 'mul' ? p - 1 : p;
      return { name: `mod${p}-${task.op}`, order, pairs: task.op === 'div' ? p * (p - 1) : order * order };
    }
    case 'symmetric': {
      let order = 1;
      for (let k = 2; k <= task.n; k++) order *= k;
      return { name: `S${task.n}`, order, pairs: order * order };
    }
    case 'dihedral':
      return { name: `D${task.n}`, order: 2 * task.n, pairs: 4 * task.n * task.n };
    case 'cayley': {
      const order = cayleyOrder(path.resolve(baseDir, task.path));
      return order === null ? null : { name: path.basename(task.path), order, pairs: order * order };
    }
  }
}

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
