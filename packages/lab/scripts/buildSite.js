// Builds the lab as a folder of static files, dist/site: index.html, style.css, app.js (the page,
// with Vega-Lite), worker.js (the trainer, tasks, models and probes) and wasm/ (TensorFlow.js's
// wasm binaries). Any static host serves it; the page asks nothing of any other origin (no CDN).
// Run by `npm run build` at the repository root. The same esbuild options serve the bundle check
// (test/browserBundle.test.ts), so what is checked is what ships.
//
//   node packages/lab/scripts/buildSite.js
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const src = path.join(root, 'src', 'page');
const out = path.join(root, 'dist', 'site');

/** The page's and the worker's entries, and the options both are bundled with. */
const ENTRIES = { app: path.join(src, 'main.ts'), worker: path.join(src, 'worker.ts') };
const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  legalComments: 'linked',
  logLevel: 'warning',
};

/** The wasm binaries the backend picks from (plain, SIMD, threaded SIMD): all are served. */
function wasmBinaries() {
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const dist = path.join(dir, 'dist');
  return fs
    .readdirSync(dist)
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => path.join(dist, f));
}

async function build() {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'wasm'), { recursive: true });
  for (const [name, entry] of Object.entries(ENTRIES)) {
    await esbuild.build({
      ...BUNDLE_OPTIONS,
      entryPoints: [entry],
      outfile: path.join(out, `${name}.js`),
      minify: true,
    });
  }
  for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(src, f), path.join(out, f));
  for (const f of wasmBinaries()) fs.copyFileSync(f, path.join(out, 'wasm', path.basename(f)));
}

module.exports = { ENTRIES, BUNDLE_OPTIONS, SITE_DIR: out };

if (require.main === module) {
  build().catch((err) => {
    process.stderr.write(`building the lab's site failed: ${err.message}\n`);
    process.exit(1);
  });
}
