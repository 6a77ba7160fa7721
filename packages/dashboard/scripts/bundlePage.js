// Bundles the dashboard page (src/page/app.ts with vega, vega-lite and vega-embed) into
// dist/page/app.js, and copies index.html and style.css beside it: the dashboard serves these
// from this machine, so the page works offline (no CDN). Run by `npm run build`.
//
//   node packages/dashboard/scripts/bundlePage.js
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const src = path.join(__dirname, '..', 'src', 'page');
const out = path.join(__dirname, '..', 'dist', 'page');

async function main() {
  fs.mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(src, 'app.ts')],
    outfile: path.join(out, 'app.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    legalComments: 'linked',
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(src, f), path.join(out, f));
}

main().catch((err) => {
  process.stderr.write(`bundling the dashboard page failed: ${err.message}\n`);
  process.exit(1);
});
