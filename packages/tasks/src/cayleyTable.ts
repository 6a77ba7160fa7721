import type { Task } from '@grokscope/core';
import { baseName, extName, readCayleyText } from './cayleyFile';
import { CayleyTableError } from './cayleyTableError';
import { groupTask } from './groupTask';

export { CayleyTableError } from './cayleyTableError';
export { readCayleyText } from './cayleyFile';
export { MAX_CAYLEY_BYTES } from './cayleyTableError';

/**
 * A group as its Cayley table: `table[i][j]` is elements[i]∘elements[j], written as a label
 * (string) or as a 0-based index into `elements` (number).
 */
export interface CayleyTable {
  readonly elements: readonly string[];
  readonly table: readonly (readonly (string | number)[])[];
}

/** What a valid table proves: the identity's index, commutativity, and the products as indices. */
export interface CheckedGroup {
  readonly identity: number;
  readonly abelian: boolean;
  /** Row-major: products[i·n + j] is the index of elements[i]∘elements[j]. */
  readonly products: Int32Array;
}

/**
 * Checks a table the way a reader would: shape, closure, identity, inverses, associativity.
 * The error names `source` and the first violating element, pair or triple (row-major order).
 * Associativity is checked on all n³ triples.
 */
export function validateCayleyTable(t: CayleyTable, source = 'cayley table'): CheckedGroup {
  const n = t.elements.length;
  const fail = (message: string): never => {
    throw new CayleyTableError(source, message);
  };
  if (n === 0) fail('has no elements; list them in "elements"');
  const index = new Map<string, number>();
  t.elements.forEach((e, i) => {
    if (index.has(e)) fail(`element labels must be unique; "${e}" appears twice`);
    index.set(e, i);
  });
  const label = (i: number) => t.elements[i]!;
  if (t.table.length !== n) fail(`has ${t.table.length} rows for ${n} elements; give one row per element`);
  const products = new Int32Array(n * n);
  t.table.forEach((row, i) => {
    if (row.length !== n)
      fail(`the row of "${label(i)}" has ${row.length} entries; every row needs ${n}, one per element`);
    row.forEach((x, j) => {
      const k = typeof x === 'number' ? (Number.isInteger(x) && x >= 0 && x < n ? x : -1) : (index.get(x) ?? -1);
      if (k < 0) {
        const what =
          typeof x === 'number' ? `index ${x}, outside 0..${n - 1}` : `"${x}", which is not one of the elements`;
        fail(`not closed: ${label(i)}∘${label(j)} is ${what}`);
      }
      products[i * n + j] = k;
    });
  });
  const op = (i: number, j: number) => products[i * n + j]!;

  let identity = -1;
  for (let e = 0; e < n && identity < 0; e++) {
    let ok = true;
    for (let x = 0; x < n && ok; x++) ok = op(e, x) === x && op(x, e) === x;
    if (ok) identity = e;
  }
  if (identity < 0) fail('has no identity: no element e with e∘x = x∘e = x for every x');

  for (let x = 0; x < n; x++) {
    let found = false;
    for (let y = 0; y < n && !found; y++) found = op(x, y) === identity && op(y, x) === identity;
    if (!found) fail(`"${label(x)}" has no inverse: no y with ${label(x)}∘y = y∘${label(x)} = ${label(identity)}`);
  }

  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const ab = op(a, b);
      for (let c = 0; c < n; c++) {
        const left = op(ab, c);
        const right = op(a, op(b, c));
        if (left !== right) {
          const [x, y, z] = [label(a), label(b), label(c)];
          fail(`not associative: (${x}∘${y})∘${z} = ${label(left)} but ${x}∘(${y}∘${z}) = ${label(right)}`);
        }
      }
    }
  }

  let abelian = true;
  for (let i = 0; i < n && abelian; i++) for (let j = 0; j < i && abelian; j++) abelian = op(i, j) === op(j, i);
  return { identity, abelian, products };
}

/** A task from an in-memory Cayley table, validated first; element tokens follow `elements`. */
export function cayleyTask(t: CayleyTable, name = 'cayley', source = name): Task {
  const { abelian, products } = validateCayleyTable(t, source);
  const n = t.elements.length;
  return groupTask({ name, labels: t.elements, abelian, op: (i, j) => products[i * n + j]! });
}

/**
 * A task from a Cayley table file, named after the file.
 * - `.json`: `{ "elements": [labels], "table": [[entries]] }`. Entries are labels, or 0-based
 *   indices when they are numbers — unless the elements themselves are numbers (say the units
 *   [1, 3, 5, 7] mod 8), in which case numeric entries are those labels.
 * - `.csv`: a header row whose first cell is ignored (`∘`, or empty) and then the labels; then
 *   one row per element, in any order, starting with its label. Cells are trimmed; labels may
 *   not contain commas or quotes.
 */
export function loadCayleyTable(file: string): Task {
  const text = readCayleyText(file);
  const table = extName(file).toLowerCase() === '.csv' ? parseCsv(text, file) : parseJson(text, file);
  return cayleyTask(table, baseName(file, extName(file)), file);
}

function parseJson(text: string, file: string): CayleyTable {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CayleyTableError(file, `is not valid JSON (${(err as Error).message})`);
  }
  const shape = 'must be { "elements": [labels], "table": [[entries], …] }';
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CayleyTableError(file, shape);
  const { elements, table } = data as { elements?: unknown; table?: unknown };
  if (!Array.isArray(elements) || !elements.every((e) => typeof e === 'string' || typeof e === 'number')) {
    throw new CayleyTableError(file, `"elements" must be a list of labels (strings or numbers); the file ${shape}`);
  }
  if (!Array.isArray(table) || !table.every(Array.isArray)) {
    throw new CayleyTableError(file, `"table" must be a list of rows, one per element; the file ${shape}`);
  }
  const numericLabels = elements.length > 0 && elements.every((e) => typeof e === 'number');
  const rows = (table as unknown[][]).map((row, i) =>
    row.map((x, j) => {
      if (typeof x === 'number') return numericLabels ? String(x) : x;
      if (typeof x === 'string') return x;
      throw new CayleyTableError(
        file,
        `table[${i}][${j}] is ${JSON.stringify(x)}; entries are labels or 0-based indices`,
      );
    }),
  );
  return { elements: elements.map(String), table: rows };
}

function parseCsv(text: string, file: string): CayleyTable {
  const rows = text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(',').map((cell) => cell.trim()));
  if (rows.length < 2)
    throw new CayleyTableError(file, 'needs a header row (∘, then the labels) and one row per element');
  const elements = rows[0]!.slice(1);
  const repeated = elements.find((e, i) => elements.indexOf(e) !== i);
  if (repeated !== undefined)
    throw new CayleyTableError(file, `element labels must be unique; "${repeated}" appears twice in the header`);
  const byLabel = new Map<string, string[]>();
  rows.slice(1).forEach((row, i) => {
    const head = row[0]!;
    if (!elements.includes(head))
      throw new CayleyTableError(
        file,
        `line ${i + 2} starts with "${head}", which is not in the header; start each row with its element's label`,
      );
    if (byLabel.has(head)) throw new CayleyTableError(file, `the row of "${head}" appears twice (line ${i + 2})`);
    byLabel.set(head, row.slice(1));
  });
  const missing = elements.find((e) => !byLabel.has(e));
  if (missing !== undefined) throw new CayleyTableError(file, `has no row for "${missing}"; give one row per element`);
  return { elements, table: elements.map((e) => byLabel.get(e)!) };
}
