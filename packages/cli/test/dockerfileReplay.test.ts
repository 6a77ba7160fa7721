/**
 * The Dockerfile's steps replayed in a clean folder, then the result used the way docs/cluster.md
 * uses the image: `grokscope train` a few steps through the image's entrypoint, and `grokscope
 * dashboard` serving its built page. No container runtime can build the image here: its base
 * image must be pulled from Docker Hub, which these machines cannot reach (docs/cluster.md).
 *
 * How a step is replayed, and where that differs from a real build:
 * - FROM node:<version>-…: a fresh folder stands for the stage's filesystem root. The stand-in
 *   base image holds only /usr/local/bin: that Node version (npm's node-linux-<arch> package, as
 *   scripts/testOnNode24.sh uses) and this machine's npm run by it (the package has no npm).
 *   Any other base image is refused.
 * - WORKDIR, ENV, USER, ENTRYPOINT, CMD: recorded as Docker would (WORKDIR also creates it).
 * - COPY SRC… DEST: from the repository with .dockerignore applied, or `--from=STAGE` from that
 *   stage's folder. A named source that is missing or ignored fails, as it fails `docker build`.
 * - RUN: with /bin/sh -c (the shell form's shell; dash on Debian, as in the image) in the
 *   WORKDIR, the ENV set, and the stand-in's /usr/local/bin first on PATH. An absolute path in
 *   the command names the image's filesystem, so it is rewritten to the stage's folder. npm reads
 *   its cache first (npm_config_prefer_offline): the lock file fixes the packages either way.
 *   Of the `&&`-joined commands, those in SKIPPED are not run (see there); one in REFUSED fails.
 * - USER: recorded only; the checks run as whoever runs the tests (creating the image's user and
 *   switching to it needs the image).
 * Any other instruction, flag or form fails the test with the step's line and the reason.
 *
 * The replay runs `npm ci` and the whole build, minutes on two cores, so it runs only when
 * GROKSCOPE_DOCKERFILE_REPLAY=1 (set by .ci/run). The first two tests, which only read the
 * Dockerfile (and a few made-up steps), always run: a step the replay cannot handle fails them on
 * every machine.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const enabled = process.env['GROKSCOPE_DOCKERFILE_REPLAY'] === '1';
const describeReplay = enabled ? describe : describe.skip;

/**
 * Commands that only make sense as root inside the image: the image's user and file ownership.
 * The replay runs as one user on this machine's filesystem, so it skips them and says which.
 */
const SKIPPED: Record<string, string> = {
  chown: "the image's users (node, uid 1000) are not this machine's",
  useradd: 'users are created in the image, not on this machine',
  groupadd: 'groups are created in the image, not on this machine',
};
/** Commands that would change this machine, not the replayed folder: the replay cannot stand in for them. */
const REFUSED: Record<string, string> = {
  'apt-get': "it installs into this machine's system, not the image's",
  apt: "it installs into this machine's system, not the image's",
  dpkg: "it installs into this machine's system, not the image's",
};

interface Step {
  line: number;
  instruction: string;
  args: string;
}

/** The instructions in order: comment and blank lines dropped, `\`-continued lines joined. */
function parseDockerfile(text: string): Step[] {
  const steps: Step[] = [];
  let current: Step | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1).trim() : line;
    if (current) current.args += ` ${body}`;
    else {
      const m = /^(\S+)\s*(.*)$/.exec(body)!;
      current = { line: i + 1, instruction: m[1]!.toUpperCase(), args: m[2]! };
    }
    if (!continued) {
      steps.push(current);
      current = null;
    }
  });
  return steps;
}

/** A step the replay cannot perform faithfully: the test fails with the step and the reason. */
function cannot(step: Step, why: string): never {
  throw new Error(`Dockerfile line ${step.line} (${step.instruction} ${step.args}) is not replayed: ${why}`);
}

/** A RUN's `&&`-joined commands, and which of them the replay skips (SKIPPED). */
function runPlan(step: Step): { commands: string[]; skipped: string[] } {
  if (step.args.startsWith('[')) cannot(step, 'only the shell form of RUN is replayed');
  const commands: string[] = [];
  const skipped: string[] = [];
  for (const part of step.args.split(/\s+&&\s+/)) {
    const words = part.split(/\s+/);
    const word = words.find((w) => w in SKIPPED || w in REFUSED);
    if (word === undefined) commands.push(part);
    else if (word in REFUSED) cannot(step, `\`${word}\`: ${REFUSED[word]}`);
    // Only a whole command can be left out, not one inside a pipe, list or subshell.
    else if (words[0] !== word || /[;|()`'"]/.test(part)) cannot(step, `\`${word}\` inside a compound command`);
    else skipped.push(part);
  }
  return { commands, skipped };
}

/** The base image's Node version, from `node:<x.y.z>-…`; anything else cannot be stood in for. */
function nodeVersion(step: Step): string {
  const m = /^node:(\d+\.\d+\.\d+)-[\w.-]+(@sha256:[0-9a-f]{64})?(\s+AS\s+\S+)?$/i.exec(step.args);
  if (!m) cannot(step, 'the replay stands in only for the node:<x.y.z>-… images');
  return m[1]!;
}

const KNOWN = ['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'ENTRYPOINT', 'CMD'];

/** Every step checked before anything runs, so an unsupported one fails fast and on every machine. */
function checkSteps(steps: Step[]): void {
  if (steps[0]?.instruction !== 'FROM') throw new Error('the Dockerfile does not start with FROM');
  for (const step of steps) {
    const { instruction, args } = step;
    if (!KNOWN.includes(instruction)) cannot(step, `the replay knows only ${KNOWN.join(', ')}`);
    if (instruction === 'FROM') nodeVersion(step);
    if (instruction === 'RUN') runPlan(step);
    // The replay substitutes no build arguments or variables, and splits ENV at white space.
    if (instruction !== 'RUN' && args.includes('$')) cannot(step, 'variable substitution');
    if (instruction === 'ENV' && /["']/.test(args)) cannot(step, 'quoted ENV values');
    if (instruction === 'ENTRYPOINT' || instruction === 'CMD') execForm(step);
    if (instruction === 'COPY') {
      const flags = args.split(/\s+/).filter((w) => w.startsWith('--'));
      const other = flags.filter((f) => !f.startsWith('--from='));
      if (other.length) cannot(step, `the flag ${other[0]} (only --from= is replayed)`);
      if (/[*?[]/.test(args)) cannot(step, 'wildcards or the JSON form in COPY');
    }
  }
}

/** The JSON (exec) form of ENTRYPOINT and CMD; the replay does not run the shell form's sh -c. */
function execForm(step: Step): string[] {
  try {
    const parsed: unknown = JSON.parse(step.args);
    if (Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')) return parsed as string[];
  } catch {
    // not JSON: the shell form, refused below
  }
  return cannot(step, 'only the JSON (exec) form is replayed');
}

/** A .dockerignore pattern as Docker matches it: `**` any number of folders, `*` and `?` within one. */
function ignoreRegExp(pattern: string): RegExp {
  const p = path.posix.normalize(pattern.replace(/^\/+/, ''));
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (p.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (p.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether .dockerignore leaves a path (relative to the repository, with `/`) out of the build context. */
function dockerignore(): (rel: string) => boolean {
  const file = path.join(repo, '.dockerignore');
  const rules = (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => ({ negate: l.startsWith('!'), re: ignoreRegExp(l.replace(/^!/, '')) }));
  // A path is excluded when the last rule matching it or a folder above it excludes it.
  return (rel) => {
    const prefixes = rel.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.re.test(p))) excluded = !rule.negate;
    return excluded;
  };
}

interface Stage {
  name: string | undefined;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  entrypoint: string[];
  cmd: string[];
}

/** The stage's folder for an image path (relative ones are under the WORKDIR). */
const inRoot = (stage: Stage, p: string) => path.join(stage.root, path.posix.resolve(stage.workdir, p));

/** Enough of this machine's environment for npm to find its cache and settings, and nothing else. */
const hostEnv = (): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'], HOME: os.homedir() });

/**
 * The environment a step sees: the image's (its ENV, PATH with the base image's /usr/local/bin
 * first), not the test's, which under `npm test` holds npm_config_* settings naming the
 * repository, which npm in a step would obey.
 */
const imageEnv = (stage: Stage): NodeJS.ProcessEnv => ({
  ...hostEnv(),
  PATH: `${path.join(stage.root, 'usr/local/bin')}:${process.env['PATH']}`,
  ...stage.env,
});

type Options = { cwd?: string; env?: NodeJS.ProcessEnv };

function sh(command: string, args: string[], options: Options = {}): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600000, ...options });
  if (r.status !== 0) {
    const why = r.error ? ` (${r.error.message})` : '';
    throw new Error(`${command} ${args.join(' ')} exited ${r.status}${why}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** The stand-in for node:<version>: that Node, and npm and npx, in /usr/local/bin as the image has them. */
function baseImage(root: string, version: string, nodeDir: string): void {
  const bin = path.join(root, 'usr/local/bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(path.join(nodeDir, 'bin/node'), path.join(bin, 'node'));
  const npmCli = fs.realpathSync(sh('sh', ['-c', 'command -v npm']).stdout.trim());
  // This machine's npm settings (its global npmrc may name the certificates its registry access
  // needs): run by another node, npm would look for them next to that node.
  // Not in the repository: npm config refuses to run in a workspace.
  const globalconfig = sh('npm', ['config', 'get', 'globalconfig'], { cwd: root, env: hostEnv() }).stdout.trim();
  for (const [name, cli] of [
    ['npm', npmCli],
    ['npx', path.join(path.dirname(npmCli), 'npx-cli.js')],
  ] as const) {
    const wrapper = `npm_config_globalconfig='${globalconfig}' exec "${path.join(bin, 'node')}" "${cli}" "$@"`;
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${wrapper}\n`, { mode: 0o755 });
  }
  expect(sh(path.join(bin, 'node'), ['--version']).stdout.trim()).toBe(`v${version}`);
}

type Ignored = (rel: string) => boolean;

/** COPY from the repository: SRC's files (a folder's contents) to DEST, less what .dockerignore excludes. */
function copyFromContext(step: Step, stage: Stage, sources: string[], dest: string, ignored: Ignored): void {
  const toFolder = dest.endsWith('/') || sources.length > 1;
  for (const src of sources) {
    const normal = path.posix.normalize(src).replace(/\/$/, '');
    const rel = normal === '.' ? '' : normal;
    const from = path.join(repo, rel);
    if (!fs.existsSync(from)) cannot(step, `${src} is not in the build context`);
    if (rel !== '' && ignored(rel)) cannot(step, `${src} is excluded by .dockerignore`);
    if (fs.statSync(from).isDirectory()) copyTree(from, rel, inRoot(stage, dest), ignored);
    else {
      const to = toFolder ? path.join(inRoot(stage, dest), path.basename(rel)) : inRoot(stage, dest);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}

function copyTree(from: string, rel: string, to: string, ignored: Ignored): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (ignored(childRel)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, childRel, dst, ignored);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
    else fs.copyFileSync(src, dst); // keeps the mode, as COPY does
  }
}

/** COPY --from=STAGE SRC DEST: the earlier stage's folder. */
function copyFromStage(step: Step, stage: Stage, other: Stage, sources: string[], dest: string): void {
  if (sources.length !== 1) cannot(step, 'one source per COPY --from');
  const src = path.join(other.root, path.posix.resolve('/', sources[0]!));
  const to = inRoot(stage, dest);
  fs.mkdirSync(to, { recursive: true });
  // -a keeps the workspace links (node_modules/@grokscope/* → ../../packages/*) as links, as COPY
  // does; -l links the files rather than copying them, as nothing writes to the build stage again.
  sh('cp', ['-al', `${src}/.`, to]);
}

/** RUN: the commands SKIPPED leaves, with sh -c in the WORKDIR, absolute paths moved into the stage's folder. */
function runStep(step: Step, stage: Stage, note: (line: string) => void): void {
  const { commands, skipped } = runPlan(step);
  for (const s of skipped) note(`line ${step.line}: skipped \`${s}\` (${SKIPPED[s.split(/\s+/)[0]!]})`);
  if (commands.length === 0) return;
  const script = commands.join(' && ').replace(/(^|\s)\/(?=[\w.])/g, `$1${stage.root}/`);
  const env = { ...imageEnv(stage), npm_config_prefer_offline: 'true' };
  sh('/bin/sh', ['-c', script], { cwd: inRoot(stage, '.'), env });
}

/** Replays every step under WORK; returns the last stage, the image. */
function replay(steps: Step[], work: string, nodeDir: string): Stage {
  // Printed as it goes, so that a slow or failing step shows where.
  const note = (line: string) => process.stdout.write(`${line}\n`);
  const stages: Stage[] = [];
  const ignored = dockerignore();
  let stage: Stage | undefined;
  for (const step of steps) {
    const t0 = Date.now();
    const { instruction, args } = step;
    if (instruction === 'FROM') {
      const root = path.join(work, `stage${stages.length}`);
      baseImage(root, nodeVersion(step), nodeDir);
      const name = /\sAS\s+(\S+)$/i.exec(args)?.[1];
      stage = { name, root, workdir: '/', env: {}, user: undefined, entrypoint: [], cmd: [] };
      stages.push(stage);
    } else if (!stage) cannot(step, 'before FROM');
    else if (instruction === 'WORKDIR') {
      stage.workdir = path.posix.resolve(stage.workdir, args);
      fs.mkdirSync(inRoot(stage, '.'), { recursive: true });
    } else if (instruction === 'ENV') {
      const pairs = args.includes('=') ? args.split(/\s+/).map((kv) => kv.split(/=(.*)/s)) : [args.split(/\s+(.*)/s)];
      for (const [k, v] of pairs) stage.env[k!] = v ?? '';
    } else if (instruction === 'USER') stage.user = args;
    else if (instruction === 'ENTRYPOINT') stage.entrypoint = execForm(step);
    else if (instruction === 'CMD') stage.cmd = execForm(step);
    else if (instruction === 'RUN') runStep(step, stage, note);
    else if (instruction === 'COPY') {
      const words = args.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      const dest = paths.pop();
      if (!dest || paths.length === 0) cannot(step, 'COPY needs a source and a destination');
      if (from === undefined) copyFromContext(step, stage, paths, dest, ignored);
      else {
        const other = stages.find((s) => s.name === from) ?? cannot(step, `no earlier stage named ${from}`);
        copyFromStage(step, stage, other, paths, dest);
      }
    }
    note(`line ${step.line}: ${instruction} ${args.slice(0, 60)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return stage!;
}

const steps = parseDockerfile(fs.readFileSync(path.join(repo, 'Dockerfile'), 'utf8'));

test('the replay can perform every step of the Dockerfile, and skips only the ownership step', () => {
  checkSteps(steps);
  const skipped = steps.filter((s) => s.instruction === 'RUN').flatMap((s) => runPlan(s).skipped);
  expect(skipped).toEqual(['chown node:node /runs']);
  // The sources the build needs are in the context; the host's installs, builds and results are not.
  const ignored = dockerignore();
  const needed = ['package.json', 'packages/cli/src/bin.ts', 'packages/dashboard/scripts/bundlePage.js'];
  expect(needed.filter(ignored)).toEqual([]);
  const left = ['node_modules', 'packages/cli/node_modules/x', 'packages/cli/dist/bin.js', '.git', 'runs'];
  expect(left.filter(ignored)).toEqual(left);
});

test('a step it cannot replay fails the test, naming the line and why', () => {
  const check = (text: string) => () => checkSteps(parseDockerfile(`FROM node:24.22.3-bookworm-slim\n${text}\n`));
  expect(check('ADD x /x')).toThrow(/^Dockerfile line 2 \(ADD x \/x\) is not replayed: the replay knows only FROM/);
  expect(check('RUN apt-get install -y git')).toThrow(/`apt-get`: it installs into this machine's system/);
  expect(check('RUN ls / | chown -R node /x')).toThrow(/`chown` inside a compound command/);
  expect(check('COPY --chown=node . .')).toThrow(/the flag --chown=node \(only --from= is replayed\)/);
  expect(check('CMD grokscope --help')).toThrow(/only the JSON \(exec\) form/);
  expect(() => checkSteps(parseDockerfile('FROM debian:12\n'))).toThrow(/line 1 .* stands in only for the node/);
});

describeReplay('the Dockerfile replayed in a clean folder', () => {
  let work = '';
  let image: Stage;
  let grokscope: string;

  beforeAll(() => {
    checkSteps(steps);
    // Made here, not when the describe block is read: skipped, it would be left behind.
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-docker-'));
    const t0 = Date.now();
    const version = nodeVersion(steps[0]!);
    const arch = ({ x64: 'x64', arm64: 'arm64' } as Record<string, string>)[process.arch];
    if (!arch) throw new Error(`no node-linux package for ${process.arch}: the base image's Node has no stand-in`);
    const nodePkg = path.join(work, 'node');
    const install = ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline'];
    const pkg = `node-linux-${arch}`;
    sh('npm', [...install, '--loglevel=error', '--prefix', nodePkg, `${pkg}@${version}`], { env: hostEnv() });
    process.stdout.write(`Node ${version} from npm's ${pkg} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    image = replay(steps, path.join(work, 'fs'), path.join(nodePkg, 'node_modules', pkg));
    // The entrypoint resolves through the image's PATH, as `docker run` resolves it.
    grokscope = sh('sh', ['-c', `command -v ${image.entrypoint[0]}`], { env: imageEnv(image) }).stdout.trim();
  }, 900000);
  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** Options that run a command as `docker run` would: in the last WORKDIR, with the image's environment. */
  const inImage = () => ({ cwd: inRoot(image, '.'), env: imageEnv(image) });

  test('the image holds the built CLI without development dependencies; its default command is the help', () => {
    expect(image.entrypoint).toEqual(['grokscope']);
    expect(grokscope).toBe(path.join(image.root, 'usr/local/bin/grokscope'));
    const app = path.join(image.root, 'grokscope');
    expect(fs.existsSync(path.join(app, 'packages/cli/dist/bin.js'))).toBe(true);
    expect(fs.existsSync(path.join(app, 'node_modules/typescript'))).toBe(false); // npm prune --omit=dev
    expect(fs.existsSync(path.join(app, '.git'))).toBe(false);
    expect(image.user).toBe('1000:1000');
    const r = spawnSync(grokscope, image.cmd, { encoding: 'utf8', timeout: 60000, ...inImage() });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/grokscope train/);
  });

  test('grokscope train: 20 steps of the quick preset, on the Node of the FROM line', () => {
    const out = inRoot(image, 'quick-0');
    const args = ['train', '--preset', 'quick', '--steps', '20', '--eval-every', '10', '--out', out];
    const r = spawnSync(grokscope, args, { encoding: 'utf8', timeout: 120000, ...inImage() });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/completed at step 20/);
    const records = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(records.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([0, 10, 20]);
    type Manifest = { backend: string; versions: Record<string, string> };
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.backend).toBe('wasm');
    expect(manifest.versions['node']).toBe(`v${nodeVersion(steps[0]!)}`);
  });

  test('grokscope dashboard serves its built page and the run', async () => {
    const child = spawn(grokscope, ['dashboard', '.', '--port', '0'], { ...inImage(), stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    try {
      const end = Date.now() + 30000;
      const address = /http:\/\/[\d.]+:\d+\//;
      const waiting = () => !address.test(out) && Date.now() < end && child.exitCode === null;
      while (waiting()) await new Promise((r) => setTimeout(r, 50));
      const url = address.exec(out)?.[0];
      if (!url) throw new Error(`the dashboard did not start: ${out}${err}`);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<title>grokscope dashboard<\/title>/);
      const runs = (await (await fetch(`${url}api/runs`)).json()) as { runs: unknown[] };
      expect(runs.runs).toHaveLength(1);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(err).toBe('');
  });
});
