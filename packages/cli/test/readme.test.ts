/**
 * A newcomer's first screen of README.md: the picture of a real quick run and the two set-up
 * commands, before anything else (the package table comes later). The picture is the run.svg
 * that `npm start` writes (`npm run picture` copies it), and the text quotes its events.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const FIRST_SCREEN = 24; // lines

test('the first screen shows the picture, then the two set-up commands, before the package table', () => {
  const lines = readme.split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const picture = at(/^!\[[^\]]+\]\(docs\/quick-0\.svg\)$/);
  const install = at(/^npm ci\b/);
  const start = at(/^npm start\b/);
  expect(picture).toBeGreaterThanOrEqual(0);
  expect(picture).toBeLessThan(install);
  expect(install).toBeLessThan(start);
  expect(start).toBeLessThan(FIRST_SCREEN);
  expect(start).toBeLessThan(at(/^\| package \|/));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts['start']).toContain('train --preset quick --seed 0 --out runs/quick-0');
  expect(pkg.scripts['picture']).toMatch(/npm start && cp runs\/quick-0\/run\.svg docs\/quick-0\.svg/);
});

test("the picture is a quick run's run.svg, and the sentences under it quote its events", () => {
  const svg = fs.readFileSync(path.join(root, 'docs/quick-0.svg'), 'utf8');
  expect(svg).toMatch(/^<svg /);
  expect(svg).toContain(
    '>quick: add mod 97 (train 0.5, unordered pairs), transformer d64, 4 heads, 1 layer, seed 0, 3000 steps</text>',
  );
  const step = (event: string) => Number(new RegExp(`>${event} = (\\d+)</text>`).exec(svg)![1]);
  const intro = readme.slice(0, readme.indexOf('```sh'));
  const n = (x: number) => x.toLocaleString('en-GB');
  expect(intro).toContain(`at step ${n(step('t_mem'))} (t_mem)`);
  expect(intro).toContain(`at step ${n(step('t_cross'))} (t_cross)`);
  expect(intro).toMatch(
    new RegExp(
      `at step\\s+${n(step('t_grok'))} \\(t_grok\\), ${step('t_grok') - step('t_cross')} steps after the crossing`,
    ),
  );
});
