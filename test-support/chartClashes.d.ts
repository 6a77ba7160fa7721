// Types of chartClashes.js, the browser tests' one check of a drawn chart (read its header).
import type { Browser } from 'playwright-core';

/**
 * In the page: each text over another text or under a data mark, each text outside its svg and
 * each point marker cut by its plot's edge, in the svgs that `selector` matches.
 */
export declare function chartClashes(selector: string): string[];
/** chartClashes of one SVG string, drawn alone in a fresh page of `browser`. */
export declare function svgClashes(browser: Browser, svg: string): Promise<string[]>;
