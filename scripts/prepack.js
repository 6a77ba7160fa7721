// `prepack` of every package: a clean build of the package being packed, so a tarball never
// ships files left in dist/ by an older build (a moved module, an old .tsbuildinfo) and
// `npm pack` on a fresh clone ships a built package, not package.json and README alone.
// Removing dist/ removes its .tsbuildinfo too, which is what makes `tsc -b` emit again; packages
// it references are rebuilt only if stale. Run from the package's directory (npm does).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkgDir = process.cwd();
if (!fs.existsSync(path.join(pkgDir, 'tsconfig.json'))) {
  throw new Error(`prepack: ${pkgDir} has no tsconfig.json; run it from a package folder (npm pack -w <package> does)`);
}
fs.rmSync(path.join(pkgDir, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', pkgDir], { stdio: 'inherit' });
