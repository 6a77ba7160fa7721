import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The arrows of docs/architecture.md § The dependency rule, enforced: base knows nothing but zod, core knows no plugin
 * package, analysis knows no tensor library and of grokscope only base (the run format), tasks no tensor library and no core (it
 * uses base; core only for types, an optional peer); and every workspace import is a declared
 * dependency (so each package installs alone).
 */
const root = path.resolve(__dirname, '../../..');
const packageDirs = ['packages', 'examples']
  .flatMap((d) =>
    fs.existsSync(path.join(root, d)) ? fs.readdirSync(path.join(root, d)).map((p) => path.join(root, d, p)) : [],
  )
  .filter((d) => fs.existsSync(path.join(d, 'package.json')));

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.(ts|js)$/.test(e.name) ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  // Type-only imports vanish at runtime: they are not dependency arrows.
  const text = fs.readFileSync(file, 'utf8').replace(/^import type [^;]+;$/gm, '');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]/g))
    out.push(m[1]!);
  return out;
}

const forbidden: Record<string, RegExp> = {
  // zod only: the run format's schemas are zod objects (they generate the published JSON Schemas), and zod has no dependencies.
  '@grokscope/base': /^(?!node:|zod$)/,
  '@grokscope/core': /^@grokscope\/(tasks|models|probes|analysis|cli)/,
  '@grokscope/tasks': /^@tensorflow\/|^@grokscope\/(core|models|probes|analysis|cli)/,
  '@grokscope/models': /^@grokscope\/(tasks|probes|analysis|cli)/,
  '@grokscope/probes': /^@grokscope\/(tasks|models|analysis|cli)/,
  '@grokscope/analysis': /^@tensorflow\/|^@grokscope\/(?!base$)/,
  '@grokscope/dashboard': /^@tensorflow\/|^@grokscope\/(core|tasks|models|probes|cli)/,
  '@grokscope/lab': /^@grokscope\/cli/,
};
/** Browser code bundled at build time (the dashboard's and the lab's pages): its imports are build-time, devDependencies. */
const bundled = (file: string) => file.split(path.sep).join('/').includes('/src/page/');

test.each(packageDirs.map((d) => [path.relative(root, d), d]))(
  '%s imports only what the design allows and what it declares',
  (_rel, dir) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const rule = forbidden[pkg.name];
    const problems: string[] = [];
    for (const file of sourceFiles(path.join(dir, 'src'))) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (rule && rule.test(spec))
          problems.push(`${path.relative(root, file)} imports ${spec}, which the design forbids for ${pkg.name}`);
        const ok = declared.has(name) || (bundled(file) && name in (pkg.devDependencies ?? {}));
        if (!ok && !isBuiltin(name))
          problems.push(`${path.relative(root, file)} imports ${name}, missing from ${pkg.name}'s dependencies`);
      }
    }
    if (pkg.name === '@grokscope/analysis') {
      for (const dep of declared)
        if (/^@tensorflow\/|^@grokscope\/(?!base$)/.test(dep)) problems.push(`analysis depends on ${dep}`);
    }
    // Installing tasks must install no TensorFlow.js: core (which depends on it) may only be an
    // optional peer, for the Task and Split types (docs/architecture.md § Packages).
    if (pkg.name === '@grokscope/tasks') {
      if (pkg.dependencies?.['@grokscope/core'] !== undefined)
        problems.push(
          'tasks depends on @grokscope/core, which installs TensorFlow.js; make it an optional peer (types only)',
        );
      for (const dep of Object.keys(pkg.dependencies ?? {}))
        if (/^@tensorflow\//.test(dep)) problems.push(`tasks depends on ${dep}`);
    }
    const baseDeps = Object.keys(pkg.dependencies ?? {}).filter((d) => d !== 'zod');
    if (pkg.name === '@grokscope/base' && baseDeps.length > 0)
      problems.push(`base must depend on nothing but zod, has ${baseDeps.join(', ')}`);
    expect(problems).toEqual([]);
  },
);

function isBuiltin(name: string): boolean {
  return require('node:module').builtinModules.includes(name);
}

/**
 * docs/architecture.md § The dependency rule, for extensions: an example (a team's own task, model or probe) reaches
 * grokscope only through the entry points a package exports, and no package names an example,
 * so adding one needs no change to core or the CLI.
 */
test('examples import only the entry points grokscope packages export, and no package knows an example', () => {
  const exportsOf = (name: string): string[] => {
    const dir = packageDirs.find(
      (d) => JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).name === name,
    );
    if (!dir) return [];
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      exports?: Record<string, unknown>;
    };
    return Object.keys(pkg.exports ?? { '.': 1 }).map((k) => (k === '.' ? name : `${name}/${k.slice(2)}`));
  };
  const examples = packageDirs.filter((d) => path.basename(path.dirname(d)) === 'examples');
  expect(examples.map((d) => path.basename(d))).toEqual(
    expect.arrayContaining(['custom-probe', 'custom-task', 'custom-model']),
  );
  const problems: string[] = [];
  for (const dir of examples) {
    for (const file of [...sourceFiles(path.join(dir, 'src')), ...sourceFiles(path.join(dir, 'test'))]) {
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(dir + path.sep) === false)
          problems.push(`${path.relative(root, file)} reaches outside its package: ${spec}`);
        if (spec.startsWith('@grokscope/') && !exportsOf(spec.split('/').slice(0, 2).join('/')).includes(spec))
          problems.push(`${path.relative(root, file)} imports ${spec}, not an entry point its package exports`);
      }
    }
  }
  for (const dir of packageDirs.filter((d) => path.basename(path.dirname(d)) === 'packages')) {
    for (const file of sourceFiles(path.join(dir, 'src'))) {
      if (/example-custom-|examples\//.test(fs.readFileSync(file, 'utf8')))
        problems.push(`${path.relative(root, file)} names an example`);
    }
  }
  expect(problems).toEqual([]);
});

// docs/architecture.md § What core knows: the summary's events are rules a plugin defines (`PluginHost.defineEvent`); core reads no probe's metric.
test("core's trainer and store read no probe's metric tag", () => {
  const core = path.join(root, 'packages', 'core', 'src');
  const offending = [...sourceFiles(path.join(core, 'trainer')), ...sourceFiles(path.join(core, 'store'))].filter((f) =>
    /METRIC_TAGS|['"`]accuracy\//.test(fs.readFileSync(f, 'utf8')),
  );
  expect(offending.map((f) => path.relative(root, f))).toEqual([]);
});

/**
 * An exact pin in a published package's dependencies or peers stops installs (ERESOLVE for a peer)
 * or installs a second copy next to an application's newer minor; semver ranges (`^`) let npm share
 * one copy. TensorFlow.js is the exception: its backends peer-depend on tfjs-core at one exact
 * version, so a range on our side would only move the conflict into their peers.
 */
test('published packages take dependencies and peers as semver ranges, TensorFlow.js excepted', () => {
  const problems: string[] = [];
  for (const dir of packageDirs) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    if (pkg.private) continue;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [name, range] of Object.entries((pkg[field] ?? {}) as Record<string, string>)) {
        if (/^@tensorflow\//.test(name)) continue;
        if (!/^\^\d/.test(range))
          problems.push(`${pkg.name} ${field}.${name} is "${range}": write "^${range.replace(/^[~=^]/, '')}"`);
      }
    }
  }
  expect(problems).toEqual([]);
});
