// The ES-module build of analysis, for bundlers: dist/esm/<module>.js, one file per source module
// (not one bundle), so that with `"sideEffects": false` a bundler drops every module an
// application does not import — importing `welchTTest` must not pull in Vega. `tsc -b` builds the
// CommonJS files and the types (dist/); package.json's `module` export condition, which bundlers
// (esbuild, webpack, Rollup, Vite) read and Node does not, points them here. Node keeps the
// CommonJS build, so there is one copy of each module in a Node process (no dual-package hazard).
//
// esbuild strips the types file by file (the sources are isolatedModules-clean), and relative
// imports gain their `.js` so the files are valid ES modules by Node's rules too.
//
//   node scripts/buildEsm.js        # from packages/analysis; `build` and `prepack` run it
const fs = require('node:fs');
const path = require('node:path');
const { buildSync } = require('esbuild');

const pkgDir = path.resolve(__dirname, '..');
const srcDir = path.join(pkgDir, 'src');
const outDir = path.join(pkgDir, 'dist/esm');

// Every source module, in src/ and its folders (claims/: one module per claim).
const entries = fs
  .readdirSync(srcDir, { recursive: true })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => path.join(srcDir, f));
fs.rmSync(outDir, { recursive: true, force: true });
const options = {
  outdir: outDir,
  outbase: srcDir,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  bundle: false,
  sourcemap: true,
  logLevel: 'warning',
};
buildSync({ entryPoints: entries, ...options });

// `from "./describe"` → `from "./describe.js"` (static imports, re-exports and import()).
const relative = /((?:\bfrom|\bimport)\s*\(?\s*)(["'])(\.\.?\/[^"']+?)\2/g;
for (const f of fs.readdirSync(outDir, { recursive: true }).filter((f) => f.endsWith('.js'))) {
  const file = path.join(outDir, f);
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(
    file,
    text.replace(relative, (_m, lead, q, spec) => `${lead}${q}${spec.endsWith('.js') ? spec : `${spec}.js`}${q}`),
  );
}
// The package is `"type": "commonjs"`; this folder's files are ES modules.
fs.writeFileSync(
  path.join(outDir, 'package.json'),
  JSON.stringify({ type: 'module', sideEffects: false }, null, 2) + '\n',
);
