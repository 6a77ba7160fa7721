/**
 * The packages as a consumer gets them: every package is packed (`npm pack`, the files a
 * publish would ship), the tarballs, not the workspace links, are installed into a fresh
 * temporary project (other dependencies from the npm registry or npm's cache), and small
 * programs use each package from there: CommonJS, ES modules, TypeScript with `node16` and
 * `bundler` resolution, and the installed `grokscope` command, whose tiny training run must log
 * exactly the metrics the workspace build logs (so the packed core registers every gradient the
 * model needs). A second project installs `@grokscope/tasks` alone: no `@tensorflow/*` package
 * may be installed with it. See docs/packaging.md.
 *
 * Packs with --ignore-scripts: `npm test` has just built the tree (CI's scripts/checkPackages.js
 * packs through `prepack` instead). Needs the npm registry or a warm npm cache (CI has both after
 * `npm ci`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bin as workspaceBin, metrics, writeConfig } from './cliHarness';

const { packAll, root } = require('../../../scripts/packAll.js') as {
  packAll: (dest: string, o: { ignoreScripts: boolean }) => Map<string, { tarball: string; files: string[] }>;
  root: string;
};

jest.setTimeout(600_000);

let work: string;
let packs: Map<string, { tarball: string; files: string[] }>;

/** A project depending on `wanted` from the tarballs; every other @grokscope package it needs comes from its tarball too. */
function install(name: string, wanted: readonly string[], extra: Record<string, string> = {}): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  const file = (n: string) => `file:${packs.get(n)!.tarball}`;
  const overrides = Object.fromEntries([...packs.keys()].filter((n) => !wanted.includes(n)).map((n) => [n, file(n)]));
  const pkg = {
    name: `consumer-${name}`,
    version: '1.0.0',
    private: true,
    dependencies: { ...Object.fromEntries(wanted.map((n) => [n, file(n)])), ...extra },
    overrides,
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  execFileSync(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return dir;
}

function node(cwd: string, file: string): string {
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${file} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Installed package names under `dir`/node_modules, nested ones included. */
function installed(dir: string): string[] {
  const out: string[] = [];
  const walk = (nm: string) => {
    if (!fs.existsSync(nm)) return;
    for (const e of fs.readdirSync(nm)) {
      if (e.startsWith('.')) continue;
      const names = e.startsWith('@') ? fs.readdirSync(path.join(nm, e)).map((s) => `${e}/${s}`) : [e];
      for (const n of names) {
        out.push(n);
        walk(path.join(nm, n, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return out;
}

beforeAll(() => {
  for (const p of ['base', 'core', 'tasks', 'models', 'probes', 'analysis', 'dashboard', 'lab', 'cli']) {
    if (!fs.existsSync(path.join(root, 'packages', p, 'dist/index.js')))
      throw new Error(
        `packages/${p}/dist is missing: build first (\`npx tsc -b\` at the repository root; \`npm test\` does it)`,
      );
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-packed-'));
  packs = packAll(path.join(work, 'tarballs'), { ignoreScripts: true });
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('every tarball ships its LICENSE and built files, no .tsbuildinfo', () => {
  expect([...packs.keys()].sort()).toEqual([
    '@grokscope/analysis',
    '@grokscope/base',
    '@grokscope/cli',
    '@grokscope/core',
    '@grokscope/dashboard',
    '@grokscope/lab',
    '@grokscope/models',
    '@grokscope/probes',
    '@grokscope/tasks',
  ]);
  for (const [name, p] of packs) {
    expect([
      name,
      p.files.includes('LICENSE'),
      p.files.includes('dist/index.js'),
      p.files.includes('dist/index.d.ts'),
    ]).toEqual([name, true, true, true]);
    expect(p.files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
  }
});

test('@grokscope/tasks installed alone brings no TensorFlow.js, and works', () => {
  const dir = install('tasks-alone', ['@grokscope/tasks']);
  const names = installed(dir);
  expect(names).toContain('@grokscope/base');
  expect(names.filter((n) => n.startsWith('@tensorflow/') || n === '@grokscope/core')).toEqual([]);
  fs.writeFileSync(
    path.join(dir, 'check.cjs'),
    `const { cyclicTask, splitExamples } = require('@grokscope/tasks');
const t = cyclicTask({ modulus: 7, op: 'add' });
const s = splitExamples(t.examples.label.length, 0.5, 0);
let err; try { cyclicTask({ modulus: 8 }); } catch (e) { err = e; }
console.log(JSON.stringify({ order: t.order, n: t.examples.label.length, label: t.examples.label[3 * 7 + 5], split: s.train.length + s.test.length, code: err.code, name: err.name }));`,
  );
  // 3 + 5 = 8 ≡ 1 (mod 7): the label of the pair (3, 5).
  expect(JSON.parse(node(dir, 'check.cjs'))).toEqual({
    order: 7,
    n: 49,
    label: 1,
    split: 49,
    code: 'E_CONFIG',
    name: 'ConfigError',
  });
});

// An application of base, core and models, without @types/node (a browser or bundler project).
describe('base, core and models in an application on a newer zod, without @types/node', () => {
  let dir: string;
  beforeAll(() => {
    dir = install('newer-zod', ['@grokscope/base', '@grokscope/core', '@grokscope/models'], { zod: '4.6.7' });
  });

  // The application is on a newer minor of zod than ours (4.1.x): the plugin packages take it as a
  // peer, and an exact pin stopped `npm install` with ERESOLVE. One copy, shared, must result.
  test("they install next to the application's zod, sharing its copy", () => {
    expect(installed(dir).filter((n) => n === 'zod')).toEqual(['zod']);
    fs.writeFileSync(
      path.join(dir, 'check.cjs'),
      `const { createModel } = require('@grokscope/models');
console.log(JSON.stringify([require('zod/package.json').version, typeof createModel]));`,
    );
    expect(JSON.parse(node(dir, 'check.cjs'))).toEqual(['4.6.7', 'function']);
  });

  // Core's declarations used NodeJS.ProcessEnv and Buffer: four errors in a project that checks
  // library types (skipLibCheck off) and has no @types/node.
  test('their declarations type-check with skipLibCheck off and no @types/node', () => {
    expect(installed(dir).filter((n) => n === '@types/node')).toEqual([]);
    const sub = path.join(dir, 'ts-no-node-types');
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(
      path.join(sub, 'check.ts'),
      `import { decodeCheckpoint, encodeCheckpoint, resolveThreads, threadStallSeconds } from '@grokscope/core/internal';
import { Trainer, type Task } from '@grokscope/core';
import { Rng } from '@grokscope/base';
import { createModel } from '@grokscope/models';
export const all = [decodeCheckpoint, encodeCheckpoint, resolveThreads, threadStallSeconds, Trainer, Rng, createModel];
export type T = Task;
`,
    );
    const resolution = { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['es2022', 'dom'] };
    const compilerOptions = { ...resolution, strict: true, noEmit: true, skipLibCheck: false };
    fs.writeFileSync(path.join(sub, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.ts'] }));
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', sub], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('all packages installed from their tarballs', () => {
  let dir: string;
  beforeAll(() => {
    const typesNode = (
      JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
        devDependencies: Record<string, string>;
      }
    ).devDependencies['@types/node']!;
    dir = install('all', [...packs.keys()], { '@types/node': typesNode });
  });

  test('one copy of core and of base: an error thrown by tasks is an instance of core’s ConfigError', () => {
    const copies = installed(dir).filter((n) => n === '@grokscope/core' || n === '@grokscope/base');
    expect(copies.sort()).toEqual(['@grokscope/base', '@grokscope/core']);
    fs.writeFileSync(
      path.join(dir, 'errors.cjs'),
      `const core = require('@grokscope/core');
const { cyclicTask } = require('@grokscope/tasks');
try { cyclicTask({ modulus: 8 }); } catch (e) { console.log(JSON.stringify([e instanceof core.ConfigError, e instanceof core.GrokscopeError, e.field])); }`,
    );
    expect(JSON.parse(node(dir, 'errors.cjs'))).toEqual([true, true, 'task.modulus']);
  });

  test('CommonJS: each package loads and does its job', () => {
    fs.writeFileSync(
      path.join(dir, 'check.cjs'),
      `const { Rng } = require('@grokscope/base');
const core = require('@grokscope/core');
const { DEFAULT_THRESHOLDS } = require('@grokscope/core/facts');
const { Rng: CoreRng } = core;
const { cyclicTask } = require('@grokscope/tasks');
const { createModel } = require('@grokscope/models');
const { entropyOfSpectrum } = require('@grokscope/probes');
const A = require('@grokscope/analysis');
const R = require('@grokscope/analysis/records');
const { startDashboard } = require('@grokscope/dashboard');
const { startLab } = require('@grokscope/lab');
const cli = require('@grokscope/cli/package.json');
(async () => {
  // The dashboard serves its bundled page from the tarball's dist/page.
  const dash = await startDashboard({ dirs: [require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'dash-'))], port: 0 });
  const page = await fetch(dash.url + 'assets/app.js').then((r) => r.status);
  await dash.close();
  // The lab serves its static folder from the tarball's dist/site: the page, the worker, the wasm binaries.
  const lab = await startLab({ port: 0 });
  const site = await Promise.all(['', 'worker.js', 'wasm/tfjs-backend-wasm-simd.wasm'].map((f) => fetch(lab.url + f).then((r) => r.status)));
  await lab.close();
  await core.useBackend('cpu');
  const task = cyclicTask({ modulus: 5, op: 'add' });
  const model = createModel(task, { kind: 'mlp', dEmbed: 8, hidden: [16] }, 0);
  const manifest = { versions: { '@grokscope/core': '0.1.0' }, config: {}, seed: 0, backend: 'cpu', createdAt: '2026-01-01T00:00:00.000Z' };
  const run = R.parseRun({ dir: 'r', manifest, metrics: '{"step":0,"wallMs":1,"metrics":{"accuracy/test":0.5}}\\n{"step":10,"wallMs":2,"metrics":{"accuracy/test":0.97}}\\n' });
  console.log(JSON.stringify({
    sameRng: Rng === CoreRng,
    draw: new Rng([1, 2, 3, 4]).nextUint32(),
    grokked: DEFAULT_THRESHOLDS.grokked,
    taps: model.tapNames.length > 0,
    uniform: entropyOfSpectrum([1, 1, 1, 1], 4).Hn,
    records: run.records.length,
    nodeHasReader: typeof A.readRun, recordsHasReader: typeof R.readRun,
    cli: cli.name,
    page,
    site,
  }));
})().catch((e) => { console.error(e); process.exit(1); });`,
    );
    expect(JSON.parse(node(dir, 'check.cjs'))).toEqual({
      sameRng: true,
      draw: 11520, // xoshiro128**'s first output from the state [1, 2, 3, 4]
      grokked: 0.95,
      taps: true,
      uniform: 1, // a flat spectrum has the largest entropy
      records: 2,
      nodeHasReader: 'function',
      recordsHasReader: 'undefined',
      cli: '@grokscope/cli',
      page: 200,
      site: [200, 200, 200],
    });
  });

  test('ES modules: named imports of every entry point resolve', () => {
    fs.writeFileSync(
      path.join(dir, 'check.mjs'),
      `import { Rng } from '@grokscope/base';
import { Trainer, ConfigError } from '@grokscope/core';
import { METRIC_TAGS } from '@grokscope/core/facts';
import { writeFileAtomic } from '@grokscope/core/internal';
import { cyclicTask } from '@grokscope/tasks';
import { createModel } from '@grokscope/models';
import { spectralEntropy } from '@grokscope/probes';
import { analyzeRuns, readRun } from '@grokscope/analysis';
import { parseRun } from '@grokscope/analysis/records';
console.log(JSON.stringify([Rng, Trainer, ConfigError, writeFileAtomic, cyclicTask, createModel, spectralEntropy, analyzeRuns, readRun, parseRun].map((f) => typeof f).concat(typeof METRIC_TAGS)));`,
    );
    expect(JSON.parse(node(dir, 'check.mjs'))).toEqual([...Array(10).fill('function'), 'object']);
  });

  test.each(['node16', 'bundler'])(
    'TypeScript (%s resolution) type-checks a program using every package',
    (resolution) => {
      const sub = path.join(dir, `ts-${resolution}`);
      fs.mkdirSync(sub, { recursive: true });
      fs.writeFileSync(
        path.join(sub, 'check.ts'),
        `import { Rng } from '@grokscope/base';
import { ConfigError, type Task, Trainer } from '@grokscope/core';
import { DEFAULT_THRESHOLDS } from '@grokscope/core/facts';
import { cyclicTask } from '@grokscope/tasks';
import { createModel, type ModelConfigInput } from '@grokscope/models';
import { spectralEntropy } from '@grokscope/probes';
import { analyzeRuns, readRun, type RunData } from '@grokscope/analysis';
import { parseRun } from '@grokscope/analysis/records';
const n: number = new Rng(1).nextUint32() + DEFAULT_THRESHOLDS.grokked;
const task: Task = cyclicTask({ modulus: 5, op: 'add' });
const spec: ModelConfigInput = { kind: 'mlp', dEmbed: 8, hidden: [16] };
const run: RunData = parseRun({ dir: 'x', manifest: '{}' });
export const all = [n, task.order, spec, run.records.length, createModel, spectralEntropy, analyzeRuns, readRun, Trainer, new ConfigError('f', 'm').field];
`,
      );
      const module = resolution === 'node16' ? 'node16' : 'esnext';
      fs.writeFileSync(
        path.join(sub, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution: resolution,
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            types: ['node'],
          },
          files: ['check.ts'],
        }),
      );
      const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', sub], {
        encoding: 'utf8',
      });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    },
  );

  test('the installed grokscope command trains (default wasm backend) exactly as the workspace build does', () => {
    const cfg = writeConfig(dir);
    const installedBin = path.join(dir, 'node_modules/.bin/grokscope');
    const a = spawnSync(installedBin, ['train', '--config', cfg, '--out', path.join(dir, 'run-packed'), '--quiet'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect({ status: a.status, stderr: a.stderr }).toEqual({ status: 0, stderr: '' });
    const b = spawnSync(
      process.execPath,
      [workspaceBin, 'train', '--config', cfg, '--out', path.join(dir, 'run-workspace'), '--quiet'],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect(b.status).toBe(0);
    const packed = metrics(path.join(dir, 'run-packed'));
    expect(packed.length).toBeGreaterThan(5);
    expect(packed).toEqual(metrics(path.join(dir, 'run-workspace')));
  });
});
