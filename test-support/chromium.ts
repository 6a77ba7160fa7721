/**
 * The one way the browser tests find and start Chromium (the study report, the analysis bundle
 * and the dashboard): Debian's `chromium` driven by playwright-core, whose own browser download
 * does not work on the project's machines. `.ci/run` installs it; GROKSCOPE_CHROMIUM points at
 * another executable, and GROKSCOPE_SKIP_BROWSER=1 skips these tests deliberately — never
 * silently: without Chromium and without that variable a browser test fails, saying how to fix it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** True when the user asked to skip the browser tests (GROKSCOPE_SKIP_BROWSER=1). */
export const skipBrowserTests = process.env['GROKSCOPE_SKIP_BROWSER'] === '1';

/** GROKSCOPE_CHROMIUM, else `chromium` or `chromium-browser` on PATH; null when there is none. */
export function findChromium(): string | null {
  const env = process.env['GROKSCOPE_CHROMIUM'];
  if (env) return fs.existsSync(env) ? env : null;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const p = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (p) return p;
    } catch {
      // not on PATH
    }
  }
  return null;
}

/** The error a browser test raises without Chromium: what is missing, for which test, and the fixes. */
export function chromiumMissing(testName: string): Error {
  return new Error(
    `Chromium is not installed, and the ${testName} needs it. Install it with \`apt-get update && apt-get install -y chromium\` (Debian/Ubuntu; \`chromium-browser\` elsewhere), ` +
      'or point GROKSCOPE_CHROMIUM at a Chrome/Chromium executable; set GROKSCOPE_SKIP_BROWSER=1 to skip this test deliberately.',
  );
}

/** Headless Chromium for `testName`, or the named error saying how to install it. */
export async function launchChromium(testName: string): Promise<Browser> {
  const exe = findChromium();
  if (exe === null) throw chromiumMissing(testName);
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
  return chromium.launch({ executablePath: exe, args: ['--no-sandbox'] });
}
