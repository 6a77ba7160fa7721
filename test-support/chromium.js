// The one way the browser tests (the study report, the analysis bundle, the dashboard) and
// scripts/screenshotReport.js find and start headless Chromium, driven by playwright-core.
// CommonJS with a .d.ts beside it, so the TypeScript tests and the plain-Node script share it.
//
// Which Chromium, first match wins:
//   1. GROKSCOPE_CHROMIUM=/path/to/chrome: that executable (an error if it is not there);
//      GROKSCOPE_CHROMIUM=bundled: the npm one below even where a system Chromium exists.
//   2. `chromium` or `chromium-browser` on PATH (Debian's package, say).
//   3. The Chromium inside the @sparticuz/chromium devDependency: `npm ci` brings it, nothing is
//      downloaded, so a fresh clone needs no system browser. Its binary ships brotli-compressed;
//      the first launch unpacks it (≈ 3 s) into $TMPDIR/grokscope-chromium-<version>, later ones reuse it.
// GROKSCOPE_SKIP_BROWSER=1 skips these tests deliberately — never silently: a browser test that
// cannot start Chromium fails, saying what failed and which variable to set.
const { execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');

const ENV = 'GROKSCOPE_CHROMIUM';
const BUNDLED = 'bundled';
const PACKAGE = '@sparticuz/chromium';

/** True when the user asked to skip the browser tests (GROKSCOPE_SKIP_BROWSER=1). */
const skipBrowserTests = process.env['GROKSCOPE_SKIP_BROWSER'] === '1';

const fixes =
  `Set ${ENV}=/path/to/chrome to use another Chrome or Chromium, or install one (Debian: apt-get install chromium); ` +
  'set GROKSCOPE_SKIP_BROWSER=1 to skip the browser tests deliberately.';

const messageOf = (err) => (err instanceof Error ? err.message : String(err));

/** The error a browser test raises when no Chromium starts: what failed, for which test, and the fixes. */
function chromiumMissing(testName, cause) {
  if (cause === undefined) return new Error(`The ${testName} could not start Chromium.\n${fixes}`);
  return new Error(`The ${testName} could not start Chromium: ${messageOf(cause)}\n${fixes}`, { cause });
}

/** `name` on PATH, or null. */
function onPath(name) {
  try {
    // env passed on: under Jest, process.env is the test's copy, which child_process does not read.
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8', env: process.env }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * The Chromium of @sparticuz/chromium, unpacked once into its own versioned folder. The package
 * unpacks into os.tmpdir() under fixed names and reuses whatever /tmp/chromium it finds (another
 * version's, or a half-written one), so a child Node unpacks it with TMPDIR set to a fresh folder,
 * renamed into place in one step: two test workers starting at once both unpack, one rename wins,
 * neither sees a partial binary.
 */
async function bundledChromium() {
  let entry;
  try {
    entry = require.resolve(PACKAGE);
  } catch {
    throw new Error(`no Chromium on PATH and ${PACKAGE} is not installed: run \`npm ci\` at the repository root`);
  }
  const root = path.resolve(path.dirname(entry), '..', '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  // TMPDIR read here, not only by os.tmpdir(): under Jest the test's process.env is a copy.
  const dir = path.join(process.env['TMPDIR'] || os.tmpdir(), `grokscope-chromium-${version}`);
  const exe = path.join(dir, 'chromium');
  if (fs.existsSync(exe)) return exe;
  const stage = fs.mkdtempSync(`${dir}-unpacking-`);
  try {
    const unpack = `require(${JSON.stringify(entry)}).executablePath().then((p) => process.stdout.write(p))`;
    const env = { ...process.env, TMPDIR: stage };
    const { stdout: unpacked } = await promisify(execFile)(process.execPath, ['-e', unpack], { encoding: 'utf8', env });
    if (path.dirname(unpacked) !== stage) throw new Error(`it went to ${unpacked}, not into ${stage}`);
    try {
      fs.renameSync(stage, dir);
    } catch (err) {
      // Another process renamed its copy into place first: use that one.
      if (!fs.existsSync(exe)) throw err;
    }
    return exe;
  } catch (err) {
    throw new Error(`the Chromium of ${PACKAGE} could not be unpacked into ${dir}: ${messageOf(err)}`);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** The Chromium the browser tests use and where it came from (the order at the top of this file). */
async function findChromium() {
  const named = process.env[ENV];
  if (named && named !== BUNDLED) {
    const fix = 'unset it for a system or the bundled Chromium';
    if (!fs.existsSync(named)) throw new Error(`${ENV}=${named} names no file; ${fix}`);
    return { executable: named, source: ENV };
  }
  if (named !== BUNDLED) {
    for (const name of ['chromium', 'chromium-browser']) {
      const found = onPath(name);
      if (found) return { executable: found, source: 'PATH' };
    }
  }
  return { executable: await bundledChromium(), source: PACKAGE };
}

/** Headless Chromium for `testName`, or the error saying what failed and how to fix it. */
async function launchChromium(testName) {
  let found;
  try {
    found = await findChromium();
    const { chromium } = require('playwright-core');
    // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
    return await chromium.launch({ executablePath: found.executable, args: ['--no-sandbox'] });
  } catch (err) {
    const which = found ? `${found.executable} (from ${found.source})` : 'no Chromium found';
    throw chromiumMissing(testName, new Error(`${which}: ${messageOf(err)}`));
  }
}

module.exports = { skipBrowserTests, chromiumMissing, findChromium, launchChromium, CHROMIUM_ENV: ENV };
