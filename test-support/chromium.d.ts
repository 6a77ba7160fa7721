// Types of chromium.js, the browser tests' one Chromium finder and launcher (read its header).
import type { Browser } from 'playwright-core';

/** The variable that names the Chromium to use: a path, or `bundled` for the npm one. */
export declare const CHROMIUM_ENV: 'GROKSCOPE_CHROMIUM';
/** True when the user asked to skip the browser tests (GROKSCOPE_SKIP_BROWSER=1). */
export declare const skipBrowserTests: boolean;
/** The error a browser test raises when no Chromium starts: what failed, for which test, and the fixes. */
export declare function chromiumMissing(testName: string, cause?: unknown): Error;
/** Where the Chromium in use came from: the variable, PATH, or the npm package. */
export type ChromiumSource = 'GROKSCOPE_CHROMIUM' | 'PATH' | '@sparticuz/chromium';
/** The Chromium the browser tests use and where it came from. */
export declare function findChromium(): Promise<{ executable: string; source: ChromiumSource }>;
/** Headless Chromium for `testName`, or the error saying what failed and how to fix it. */
export declare function launchChromium(testName: string): Promise<Browser>;
