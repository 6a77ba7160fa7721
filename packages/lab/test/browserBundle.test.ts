/**
 * The bundle check: the lab's page and worker, bundled for the browser exactly as
 * scripts/buildSite.js bundles them, reach no Node built-in. esbuild's metafile lists every
 * import of every module in the bundle; the check fails on any `node:` import, and on any import
 * of a Node built-in (fs, path, child_process, worker_threads, …) by a grokscope package. The only
 * built-ins allowed are those third-party packages (TensorFlow.js, seedrandom) disable for
 * browsers through their package.json "browser" maps: esbuild bundles an empty module for them.
 * A bundle of the Node-only dashboard must fail the same check, so the check can fail.
 */
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const { ENTRIES, BUNDLE_OPTIONS } = require('../scripts/buildSite.js') as {
  ENTRIES: Record<string, string>;
  BUNDLE_OPTIONS: esbuild.BuildOptions;
};

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

interface Reached {
  importer: string;
  path: string;
}

/** `entry` bundled as the build does, in memory, with its metafile. */
const bundle = (entry: string) =>
  esbuild.build({
    ...BUNDLE_OPTIONS,
    entryPoints: [entry],
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: 'out.js',
  });

/**
 * The Node built-ins the bundle of `entry` imports, with who imports them: from the metafile when
 * it bundles, from esbuild's "Could not resolve" errors when it does not (a browser bundle cannot
 * resolve a built-in that no "browser" map disables). Any other bundling error is thrown.
 */
async function builtinsReached(entry: string): Promise<Reached[]> {
  let result: esbuild.BuildResult<{ metafile: true }>;
  try {
    result = await bundle(entry);
  } catch (err) {
    const errors = (err as esbuild.BuildFailure).errors ?? [];
    const unresolved = errors.flatMap((e) => {
      const m = /^Could not resolve "([^"]+)"/.exec(e.text);
      return m && isBuiltin(m[1]!) ? [{ importer: e.location?.file ?? '?', path: m[1]! }] : [];
    });
    if (unresolved.length === 0 || unresolved.length < errors.length) throw err;
    return unresolved;
  }
  const reached: Reached[] = [];
  for (const [importer, input] of Object.entries(result.metafile.inputs)) {
    for (const imp of input.imports) {
      if (isBuiltin(imp.path.replace(/^\(disabled\):/, ''))) reached.push({ importer, path: imp.path });
    }
  }
  return reached;
}

const isBuiltin = (p: string) => p.startsWith('node:') || BUILTINS.has(p) || BUILTINS.has(p.split('/')[0]!);

/** Imported by a grokscope package (the workspace's packages/, reached through their links). */
const ours = (r: Reached) => !/node_modules[\\/]/.test(r.importer) || /@grokscope/.test(r.importer);

describe.each(Object.entries(ENTRIES))('the %s bundle', (_name, entry) => {
  test('reaches no node: module, and no grokscope module imports a Node built-in', async () => {
    const reached = await builtinsReached(entry);
    expect(reached.filter((r) => r.path.startsWith('node:'))).toEqual([]);
    expect(reached.filter(ours)).toEqual([]);
    // What third-party browser maps leave: disabled (empty) modules only, never bundled code.
    for (const r of reached) expect(r.path).toMatch(/^\(disabled\):/);
  });
});

/** Every module in the bundle of `entry`, as an absolute path (esbuild's are relative to the working folder). */
async function inputsOf(entry: string): Promise<string[]> {
  const result = await bundle(entry);
  return Object.keys(result.metafile.inputs).map((f) => path.resolve(f));
}

/** Modules that train: TensorFlow.js, core's trainer, the models and the probes (not their package.json: a version). */
const TRAINING = new RegExp(
  ['node_modules/@tensorflow/', 'packages/core/dist/trainer/', 'packages/(models|probes)/dist/']
    .map((p) => p.replaceAll('/', '[\\\\/]'))
    .join('|'),
);

test('the page bundle holds no TensorFlow.js or trainer, the worker bundle does: it trains there only', async () => {
  const app = await inputsOf(ENTRIES['app']!);
  const worker = await inputsOf(ENTRIES['worker']!);
  expect(worker.filter((f) => TRAINING.test(f)).length).toBeGreaterThan(10);
  expect(app.filter((f) => TRAINING.test(f))).toEqual([]);
  expect(app.some((f) => /vega-lite/.test(f))).toBe(true);
});

test("the check fails on a Node-only package: the dashboard's server reaches node:http", async () => {
  const reached = await builtinsReached(path.join(__dirname, 'fixtures', 'nodeOnly.ts'));
  expect(reached.filter(ours)).toEqual(
    expect.arrayContaining([{ importer: expect.stringMatching(/dashboard/), path: 'node:http' }]),
  );
});
