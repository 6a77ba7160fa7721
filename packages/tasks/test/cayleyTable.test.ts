import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CayleyTableError,
  cayleyTask,
  cyclicTask,
  dihedralTask,
  loadCayleyTable,
  MAX_CAYLEY_BYTES,
  operationTable,
  symmetricTask,
  taskConfigSchema,
  taskConfigSize,
  validateCayleyTable,
} from '../src';

const fixture = (f: string) => path.join(__dirname, 'fixtures', f);
const Z3 = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
];

describe('the group axioms hold for every builder (checked by the Cayley validator)', () => {
  const groups = [
    ...[3, 5, 7, 11, 13].flatMap((p) => [cyclicTask({ modulus: p }), cyclicTask({ modulus: p, op: 'mul' })]),
    ...[2, 3, 4, 5].map((n) => symmetricTask({ n })),
    ...[3, 4, 5, 6, 9].map((n) => dihedralTask({ n })),
  ];
  test.each(groups.map((g) => [g.name, g] as const))('%s', (_name, g) => {
    const checked = validateCayleyTable({ elements: g.elementLabels, table: operationTable(g) }, g.name);
    expect(checked.identity).toBe(0); // 0 for add, residue 1 for mul, the identity permutation, e
    expect(checked.abelian).toBe(g.abelian);
  });
});

describe('Cayley tables in memory', () => {
  test('entries as labels or as indices give the same task', () => {
    const byLabel = cayleyTask(
      {
        elements: ['e', 'a', 'b'],
        table: [
          ['e', 'a', 'b'],
          ['a', 'b', 'e'],
          ['b', 'e', 'a'],
        ],
      },
      'z3',
    );
    const byIndex = cayleyTask({ elements: ['e', 'a', 'b'], table: Z3 }, 'z3');
    expect(operationTable(byLabel)).toEqual(Z3);
    expect(byIndex).toEqual(byLabel);
    expect(byLabel).toMatchObject({ name: 'z3', order: 3, abelian: true, vocabSize: 4, equalsToken: 3, numClasses: 3 });
  });
  test('element tokens follow the listed order, whichever element is the identity', () => {
    const t = cayleyTask(
      {
        elements: ['a', 'e'],
        table: [
          ['e', 'a'],
          ['a', 'e'],
        ],
      },
      'z2',
    );
    expect(operationTable(t)).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(
      validateCayleyTable({
        elements: ['a', 'e'],
        table: [
          [1, 0],
          [0, 1],
        ],
      }).identity,
    ).toBe(1);
  });
  test('S3 round-trips through the validator and keeps its non-commutativity', () => {
    const s3 = symmetricTask({ n: 3 });
    const again = cayleyTask({ elements: s3.elementLabels, table: operationTable(s3) }, 'S3');
    expect(again).toEqual(s3);
  });
  test('errors name the table given as source', () => {
    expect(() => cayleyTask({ elements: [], table: [] }, 'empty')).toThrow(/^empty: has no elements/);
    expect(() => cayleyTask({ elements: ['e'], table: [[0]] }, 'trivial')).not.toThrow();
  });
});

describe('Cayley table files', () => {
  test('JSON (labels or indices) and CSV (any row order) load to the same group, named after the file', () => {
    const fromJson = loadCayleyTable(fixture('z3.json'));
    expect(fromJson).toMatchObject({ name: 'z3', order: 3, abelian: true });
    expect(operationTable(fromJson)).toEqual(Z3);
    expect(operationTable(loadCayleyTable(fixture('z3-indices.json')))).toEqual(Z3);
    expect(operationTable(loadCayleyTable(fixture('z3.csv')))).toEqual(Z3);
    const shuffled = loadCayleyTable(fixture('z3-rows-shuffled.csv'));
    expect(shuffled.elementLabels).toEqual(['e', 'a', 'b']);
    expect(operationTable(shuffled)).toEqual(Z3);
  });
  test('numeric element labels: entries are those labels (the units mod 8, a Klein four-group)', () => {
    const k = loadCayleyTable(fixture('klein-units-mod8.json'));
    expect(k.elementLabels).toEqual(['1', '3', '5', '7']);
    expect(k.abelian).toBe(true);
    // 3·5 = 15 ≡ 7 (token 3); every element is its own inverse.
    expect(operationTable(k)[1]![2]).toBe(3);
    expect([0, 1, 2, 3].map((i) => operationTable(k)[i]![i])).toEqual([0, 0, 0, 0]);
  });
  test.each([
    ['not-closed.json', 'not closed: a∘a is "x", which is not one of the elements'],
    ['index-out-of-range.json', 'not closed: a∘a is index 2, outside 0..1'],
    ['no-identity.json', 'has no identity: no element e with e∘x = x∘e = x for every x'],
    ['no-inverse.json', '"z" has no inverse: no y with z∘y = y∘z = e'],
    // e is neutral and a∘a = b∘b = e, but (a∘a)∘b = e∘b = b while a∘(a∘b) = a∘e = a.
    ['not-associative.json', 'not associative: (a∘a)∘b = b but a∘(a∘b) = a'],
    ['ragged.json', 'the row of "a" has 1 entries; every row needs 2, one per element'],
    ['ragged.csv', 'the row of "a" has 1 entries; every row needs 2, one per element'],
    ['wrong-row-count.json', 'has 1 rows for 2 elements; give one row per element'],
    ['duplicate-labels.json', 'element labels must be unique; "a" appears twice'],
    ['malformed.json', 'is not valid JSON'],
    ['not-an-object.json', 'must be { "elements": [labels], "table": [[entries], …] }'],
    ['no-table.json', '"table" must be a list of rows, one per element'],
    ['unknown-row.csv', 'line 3 starts with "x", which is not in the header'],
    ['missing-row.csv', 'has no row for "a"; give one row per element'],
    ['table.txt', 'must be a .json or .csv Cayley table'],
    ['missing.json', 'cannot be read (ENOENT); check the path'],
  ])('%s is rejected, naming the file and the first violation', (file, message) => {
    let error: unknown;
    try {
      loadCayleyTable(fixture(file));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CayleyTableError);
    expect((error as CayleyTableError).field).toBe(fixture(file));
    expect((error as Error).message).toContain(`${fixture(file)}: ${message}`);
  });
});

describe('a Cayley path that names no ordinary file fails at once, before reading', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-cayley-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a device (zero.json → /dev/zero): named, not read until memory runs out', () => {
    const file = path.join(dir, 'zero.json');
    fs.symlinkSync('/dev/zero', file);
    expect(() => loadCayleyTable(file)).toThrow(
      /zero\.json.*is a device, not a regular file; name a \.json or \.csv table file/,
    );
    expect(taskConfigSize(taskConfigSchema.parse({ kind: 'cayley', path: file }))).toBeNull();
  });

  test('a named pipe with no writer: named, instead of blocking forever', () => {
    const file = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [file]);
    expect(() => loadCayleyTable(file)).toThrow(/pipe\.csv.*is a named pipe \(FIFO\), not a regular file/);
    expect(taskConfigSize(taskConfigSchema.parse({ kind: 'cayley', path: file }))).toBeNull();
  });

  test('a folder, and a file past the size limit', () => {
    const folder = path.join(dir, 'tables.json');
    fs.mkdirSync(folder);
    expect(() => loadCayleyTable(folder)).toThrow(/tables\.json.*is a folder, not a regular file/);
    const big = path.join(dir, 'big.csv');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, MAX_CAYLEY_BYTES + 1); // sparse: no disk used
    expect(() => loadCayleyTable(big)).toThrow(/big\.csv.*is 32\.0 MB, more than the 32\.0 MB a Cayley table may take/);
  });
});
