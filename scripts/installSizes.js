// Installed size of each @grokscope package, as a consumer gets it from a tarball.
//
//   node scripts/installSizes.js [--json] [--only core,tasks] [--keep DIR]
//
// Packs every publishable workspace package (`npm pack`, which runs each package's `prepack`),
// then, for each one, installs its tarball alone into a fresh temporary project: the other
// @grokscope packages it needs come from their local tarballs (through `overrides`), everything
// else from the npm registry (or npm's cache). Development dependencies and optional peers are not
// installed, as for any consumer; install scripts are not run. It prints a Markdown table of the
// project's node_modules per package: apparent size (the sum of file sizes, in MB = 10^6 bytes,
// so the figure does not depend on the file system's block size), how many packages were
// installed and which @tensorflow/* packages are among them. docs/packaging.md and the README
// quote its output. Needs network access to the npm registry unless npm's cache holds everything.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { packAll, publishablePackages } = require('./packAll');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

/** Apparent size (bytes) of a tree, and the names of the packages installed in it. */
function measure(dir) {
  let bytes = 0;
  const packages = new Set();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) bytes += fs.statSync(p).size;
      // Symlinks (node_modules/.bin) are not counted: their targets are.
    }
  };
  walk(dir);
  const listIn = (nm) => {
    if (!fs.existsSync(nm)) return;
    for (const e of fs.readdirSync(nm)) {
      if (e.startsWith('.')) continue;
      if (e.startsWith('@')) {
        for (const s of fs.readdirSync(path.join(nm, e))) {
          packages.add(`${e}/${s}`);
          listIn(path.join(nm, e, s, 'node_modules'));
        }
      } else {
        packages.add(e);
        listIn(path.join(nm, e, 'node_modules'));
      }
    }
  };
  listIn(dir);
  return { bytes, packages: [...packages].sort() };
}

function installAlone(name, tarballs, workDir) {
  const project = path.join(workDir, name.replace('@grokscope/', 'try-'));
  fs.mkdirSync(project, { recursive: true });
  const overrides = Object.fromEntries([...tarballs].filter(([n]) => n !== name).map(([n, t]) => [n, `file:${t}`]));
  fs.writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'install-size-probe',
        version: '0.0.0',
        private: true,
        dependencies: { [name]: `file:${tarballs.get(name)}` },
        overrides,
      },
      null,
      2,
    ),
  );
  execFileSync(
    'npm',
    ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    {
      cwd: project,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return measure(path.join(project, 'node_modules'));
}

function main() {
  const all = publishablePackages();
  const only = arg('--only')
    ?.split(',')
    .map((s) => (s.startsWith('@') ? s : `@grokscope/${s}`));
  for (const n of only ?? []) {
    if (!all.has(n)) throw new Error(`--only: no publishable package ${n}; choose from ${[...all.keys()].join(', ')}`);
  }
  const workDir = arg('--keep')
    ? path.resolve(arg('--keep'))
    : fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-sizes-'));
  fs.mkdirSync(path.join(workDir, 'tarballs'), { recursive: true });
  try {
    const tarballs = new Map([...packAll(path.join(workDir, 'tarballs'))].map(([name, p]) => [name, p.tarball]));
    const rows = [];
    for (const name of only ?? all.keys()) {
      const m = installAlone(name, tarballs, workDir);
      rows.push({
        package: name,
        bytes: m.bytes,
        packages: m.packages.length,
        tensorflow: m.packages.filter((p) => p.startsWith('@tensorflow/')),
      });
    }
    if (process.argv.includes('--json')) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return;
    }
    const mb = (b) => (b / 1e6).toFixed(1);
    const lines = [
      '| package installed alone | node_modules (MB) | packages | @tensorflow/* installed |',
      '|---|---:|---:|---|',
    ];
    for (const r of rows)
      lines.push(
        `| \`${r.package}\` | ${mb(r.bytes)} | ${r.packages} | ${r.tensorflow.map((t) => t.replace('@tensorflow/', '')).join(', ') || 'none'} |`,
      );
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    if (!arg('--keep')) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main();
