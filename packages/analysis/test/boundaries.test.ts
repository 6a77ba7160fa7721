import * as fs from 'node:fs';
import * as path from 'node:path';

// docs/architecture.md § The dependency rule: analysis must install and run without the tensor library. Of grokscope's
// packages it reads only @grokscope/base, the run format's owner, which itself depends on no tensor library (checked below).
const forbidden = /^(@tensorflow\/|@grokscope\/(?!base$))/;
const src = path.join(__dirname, '..', 'src');

/** Module specifiers of every import, export-from, require() and import() in `code`. */
function specifiers(code: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[^'"]*?\s+from\s+['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]!);
  return out;
}

test('the specifier scan finds every form of import', () => {
  const code = [
    "import { Trainer } from '@grokscope/core';",
    "import type { Tensor } from '@tensorflow/tfjs-core';",
    "import '@tensorflow/tfjs-backend-wasm';",
    "export { x } from '@grokscope/tasks';",
    "const tf = require('@tensorflow/tfjs');",
    "const m = await import('@grokscope/models');",
    "import * as fs from 'node:fs';",
    "import { METRIC_TAGS } from '@grokscope/base';",
  ].join('\n');
  expect(specifiers(code).filter((s) => forbidden.test(s))).toHaveLength(6);
});

test('src imports no @tensorflow/* and no @grokscope/* package but base', () => {
  const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(10);
  const offending = files.flatMap((f) =>
    specifiers(fs.readFileSync(path.join(src, f), 'utf8'))
      .filter((s) => forbidden.test(s))
      .map((s) => `${f}: ${s}`),
  );
  expect(offending).toEqual([]);
});

test('package.json depends on no @tensorflow/* and no @grokscope/* package but base, and base on neither', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  const fields = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
  const deps = fields.flatMap((k) => Object.keys(pkg[k] ?? {}));
  expect(deps.length).toBeGreaterThan(0);
  expect(deps.filter((d) => forbidden.test(d))).toEqual([]);
  expect(deps).toContain('@grokscope/base');
  const base = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'base', 'package.json'), 'utf8')) as Record<
    string,
    Record<string, string> | undefined
  >;
  expect(
    fields.flatMap((k) => Object.keys(base[k] ?? {})).filter((d) => /^(@tensorflow\/|@grokscope\/)/.test(d)),
  ).toEqual([]);
});

// A caret range, not an exact pin: an application that already has a newer minor of vega or
// jstat installs analysis beside it instead of failing to resolve (docs/packaging.md).
test('every runtime dependency is a caret range', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  expect(Object.entries(pkg.dependencies).filter(([, v]) => !/^\^\d+\.\d+\.\d+$/.test(v))).toEqual([]);
});
