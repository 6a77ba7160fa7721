import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Task } from '@grokscope/core';
import { ConfigError } from '@grokscope/core/errors';
import { groupTask } from './groupTask';

/** A Cayley table: `table[i][j]` is the index of elements[i]∘elements[j]. */
export interface CayleyTable {
  readonly elements: readonly string[];
  readonly table: readonly (readonly number[])[];
}

export class CayleyTableError extends ConfigError {
  constructor(source: string, message: string) {
    super(source, message);
  }
}

/**
 * Checks the group axioms in the order a reader would: shape, closure, identity, inverses,
 * associativity. The error names the source and the first violating element or triple.
 */
export function validateCayleyTable(t: CayleyTable, source = 'cayley table'): { identity: number } {
  const n = t.elements.length;
  if (n === 0) throw new CayleyTableError(source, 'has no elements');
  if (new Set(t.elements).size !== n) throw new CayleyTableError(source, `element labels must be unique; "${t.elements.find((e, i) => t.elements.indexOf(e) !== i)}" repeats`);
  if (t.table.length !== n) throw new CayleyTableError(source, `has ${t.table.length} rows for ${n} elements; give one row per element`);
  const label = (i: number) => t.elements[i]!;
  t.table.forEach((row, i) => {
    if (row.length !== n) throw new CayleyTableError(source, `row of "${label(i)}" has ${row.length} entries, expected ${n}`);
    row.forEach((x, j) => {
      if (!Number.isInteger(x) || x < 0 || x >= n) throw new CayleyTableError(source, `not closed: ${label(i)}∘${label(j)} is not an element of the table`);
    });
  });
  const op = (i: number, j: number) => t.table[i]![j]!;
  let identity = -1;
  for (let e = 0; e < n && identity < 0; e++) {
    let ok = true;
    for (let x = 0; x < n && ok; x++) ok = op(e, x) === x && op(x, e) === x;
    if (ok) identity = e;
  }
  if (identity < 0) throw new CayleyTableError(source, 'has no identity: no element e with e∘x = x∘e = x for every x');
  for (let x = 0; x < n; x++) {
    let found = false;
    for (let y = 0; y < n && !found; y++) found = op(x, y) === identity && op(y, x) === identity;
    if (!found) throw new CayleyTableError(source, `element "${label(x)}" has no inverse`);
  }
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++)
      for (let c = 0; c < n; c++) {
        const left = op(op(a, b), c);
        const right = op(a, op(b, c));
        if (left !== right) {
          throw new CayleyTableError(
            source,
            `not associative: (a∘b)∘c = ${label(left)} but a∘(b∘c) = ${label(right)} for a=${label(a)}, b=${label(b)}, c=${label(c)}`,
          );
        }
      }
  return { identity };
}

/** A task from an in-memory Cayley table, validated first. */
export function cayleyTask(t: CayleyTable, name = 'cayley', source = name): Task {
  validateCayleyTable(t, source);
  let abelian = true;
  for (let i = 0; i < t.elements.length && abelian; i++) for (let j = 0; j < i && abelian; j++) abelian = t.table[i]![j] === t.table[j]![i];
  return groupTask({ name, labels: t.elements, abelian, op: (i, j) => t.table[i]![j]! });
}

/**
 * Reads a Cayley table file. JSON: `{ "elements": [...], "table": [[...], ...] }` with entries
 * as labels or indices. CSV: a header row `,e,a,b…` and one row per element starting with its
 * label. Entries that are not elements fail closure, naming the pair.
 */
export function loadCayleyTable(file: string): Task {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CayleyTableError(file, `cannot read the file (${(err as Error).message}); check task.path`);
  }
  const raw = file.toLowerCase().endsWith('.csv') ? parseCsv(text, file) : parseJson(text, file);
  const index = new Map(raw.elements.map((e, i) => [e, i]));
  const table = raw.table.map((row) => row.map((x) => (typeof x === 'number' && Number.isInteger(x) ? x : index.get(String(x).trim()) ?? -1)));
  return cayleyTask({ elements: raw.elements, table }, path.basename(file, path.extname(file)), file);
}

type RawTable = { elements: string[]; table: (string | number)[][] };

function parseJson(text: string, file: string): RawTable {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CayleyTableError(file, `is not valid JSON (${(err as Error).message})`);
  }
  const d = data as Partial<RawTable>;
  if (!Array.isArray(d.elements) || !Array.isArray(d.table) || !d.table.every(Array.isArray)) {
    throw new CayleyTableError(file, 'must be {"elements": [labels], "table": [[entries], ...]}');
  }
  return { elements: d.elements.map(String), table: d.table };
}

function parseCsv(text: string, file: string): RawTable {
  const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.split(',').map((c) => c.trim()));
  if (rows.length < 2) throw new CayleyTableError(file, 'needs a header row of labels and one row per element');
  const elements = rows[0]!.slice(1);
  const body = rows.slice(1);
  body.forEach((r, i) => {
    if (r[0] !== elements[i]) throw new CayleyTableError(file, `row ${i + 2} starts with "${r[0]}", expected "${elements[i]}" (rows in header order)`);
  });
  return { elements, table: body.map((r) => r.slice(1)) };
}
