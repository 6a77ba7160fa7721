// Packs every publishable workspace package (not `private`) with `npm pack`, into one folder.
// Shared by scripts/checkPackages.js (publint + attw in CI), scripts/installSizes.js and the CLI's
// packed-install test. `npm pack` runs each package's `prepack` (a clean build) unless
// `ignoreScripts` is set, for a caller that has just built the tree (the test, after `npm test`'s
// build) and wants to save the rebuild.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** name → { dir, pkg } for every publishable package under packages/. */
function publishablePackages() {
  const out = new Map();
  for (const dir of fs.readdirSync(path.join(root, 'packages')).sort()) {
    const pkgFile = path.join(root, 'packages', dir, 'package.json');
    if (!fs.existsSync(pkgFile)) continue;
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    if (!pkg.private) out.set(pkg.name, { dir: path.join(root, 'packages', dir), pkg });
  }
  return out;
}

/** Packs one package directory into `dest`; returns the tarball's absolute path and its file list. */
function packDir(dir, dest, { ignoreScripts = false } = {}) {
  fs.mkdirSync(dest, { recursive: true });
  const args = ['pack', '--json', '--pack-destination', dest, ...(ignoreScripts ? ['--ignore-scripts'] : [])];
  const out = execFileSync('npm', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  // prepack's own output (tsc) may precede npm's JSON.
  const info = JSON.parse(out.slice(out.indexOf('\n[') + 1 || out.indexOf('[')))[0];
  return { tarball: path.join(dest, info.filename), files: info.files.map((f) => f.path) };
}

/** Packs every publishable package; returns name → { tarball, files, dir, pkg }. */
function packAll(dest, options = {}) {
  const out = new Map();
  for (const [name, p] of publishablePackages()) out.set(name, { ...p, ...packDir(p.dir, dest, options) });
  return out;
}

module.exports = { packAll, packDir, publishablePackages, root };
