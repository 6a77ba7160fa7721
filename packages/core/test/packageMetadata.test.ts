import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Registries and tools (npm's page, `npm repo`, `npm bugs`, dependency bots) find the source and the
 * issue tracker through `repository`, `homepage` and `bugs`: every published package names them, the
 * same repository as the root package.json (one place to change it) and its own folder in it.
 */
const root = path.resolve(__dirname, '../../..');
type Pkg = {
  name: string;
  private?: boolean;
  repository?: { url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
};
const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as Pkg;

test('every published package.json names its repository, homepage and bug tracker', () => {
  const top = read(path.join(root, 'package.json'));
  expect(top.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
  const problems: string[] = [];
  for (const d of fs.readdirSync(path.join(root, 'packages')).sort()) {
    const file = path.join(root, 'packages', d, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = read(file);
    if (pkg.private) continue;
    const fix = `(copy the fields from packages/core/package.json)`;
    if (pkg.repository?.url !== top.repository?.url)
      problems.push(`${pkg.name}: repository.url is not the root's ${top.repository?.url} ${fix}`);
    if (pkg.repository?.directory !== `packages/${d}`)
      problems.push(`${pkg.name}: repository.directory should be packages/${d}`);
    if (!pkg.homepage?.startsWith('https://')) problems.push(`${pkg.name}: no https homepage ${fix}`);
    if (pkg.bugs?.url !== top.bugs?.url)
      problems.push(`${pkg.name}: bugs.url is not the root's ${top.bugs?.url} ${fix}`);
  }
  expect(problems).toEqual([]);
});

test("package READMEs link the repository's docs by URL: npm shows a README without the folders around it", () => {
  const top = read(path.join(root, 'package.json'));
  const base = `${top.repository!.url!.replace(/^git\+/, '').replace(/\.git$/, '')}/blob/main/`;
  const problems: string[] = [];
  for (const d of fs.readdirSync(path.join(root, 'packages')).sort()) {
    const file = path.join(root, 'packages', d, 'README.md');
    if (!fs.existsSync(file)) continue;
    for (const [, target] of fs.readFileSync(file, 'utf8').matchAll(/\]\(([^)]+)\)/g)) {
      if (target!.startsWith('../')) problems.push(`${d}/README.md: ${target} leaves the package (write ${base}…)`);
      else if (/^https:\/\/github\.com\//.test(target!) && !target!.startsWith(base))
        problems.push(`${d}/README.md: ${target} is not under ${base}`);
    }
  }
  expect(problems).toEqual([]);
});
