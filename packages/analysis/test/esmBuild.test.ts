/**
 * The ES-module build (dist/esm, scripts/buildEsm.js) that bundlers take through the `module`
 * export condition: one module per source file, so that with `"sideEffects": false` an
 * application's bundle keeps only what it imports. Importing one statistic must not bring Vega
 * (the CommonJS build did: 1.1 MB minified for `welchTTest` alone). And the ES build must be the
 * same library as the CommonJS one Node loads: the same exports, the same results.
 *
 * Needs the built package (`npm run build` at the root, or `npm run build -w @grokscope/analysis`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { welchTTest } from '../src/welchTTest';

const pkgDir = path.resolve(__dirname, '..');

beforeAll(() => {
  if (!fs.existsSync(path.join(pkgDir, 'dist/esm/index.js'))) {
    throw new Error(
      `${pkgDir}/dist/esm is missing: build first (\`npm run build\` at the repository root runs scripts/buildEsm.js)`,
    );
  }
});

/** jstat is one CommonJS file of ≈ 52 KB minified that welchTTest needs for the t distribution; the rest is ours. */
const ONE_STATISTIC_MAX_BYTES = 64_000;

test.each(['browser', 'node'] as const)(
  'a %s bundle importing only welchTTest keeps only what it imports',
  async (platform) => {
    const result = await build({
      stdin: {
        contents: `import { welchTTest } from '@grokscope/analysis';\nglobalThis.out = welchTTest([1, 2, 3], [4, 5, 7]);`,
        resolveDir: pkgDir,
        sourcefile: 'entry.js',
      },
      bundle: true,
      minify: true,
      platform,
      format: 'iife',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    const used = Object.entries(Object.values((result.metafile as Metafile).outputs)[0]!.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k]) => k.split(path.sep).join('/'));
    expect(used.filter((f) => /node_modules\/(vega|d3-|ml-)/.test(f))).toEqual([]);
    expect(used).toContain('dist/esm/welchTTest.js');
    expect(code.length).toBeLessThan(ONE_STATISTIC_MAX_BYTES);
    // The bundle works: the same numbers as the source.
    const sandbox = { out: undefined as unknown };
    new Function('globalThis', code)(sandbox);
    expect(sandbox.out).toEqual(welchTTest([1, 2, 3], [4, 5, 7]));
  },
);

test('the ES build exports what the CommonJS build does, with the same results', () => {
  const program = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = {};
for (const entry of ['index', 'records']) {
  const esm = await import('./dist/esm/' + entry + '.js');
  const cjs = require('./dist/' + entry + '.js');
  out[entry] = { esm: Object.keys(esm).sort(), cjs: Object.keys(cjs).sort() };
}
const esm = await import('./dist/esm/index.js');
const cjs = require('./dist/index.js');
const a = [0.1, 0.4, 0.35, 0.8], b = [0.9, 0.7, 1.2, 1.1];
const f = (m) => [m.welchTTest(a, b), m.mannWhitneyU(a, b), m.cohensD(a, b), m.fitPowerLaw([100, 200, 400, 800, 1600], [50, 30, 22, 18, 16.5])];
out.same = JSON.stringify(f(esm)) === JSON.stringify(f(cjs));
console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', program], { cwd: pkgDir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as Record<string, { esm: string[]; cjs: string[] }> & { same: boolean };
  for (const entry of ['index', 'records'])
    expect(out[entry]!.esm).toEqual(out[entry]!.cjs.filter((k) => k !== '__esModule'));
  expect(out.same).toBe(true);
});
