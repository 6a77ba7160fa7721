/**
 * The Dockerfile, read as text (no container runtime runs in CI): Node 24 in both stages, every
 * workspace's manifest copied before `npm ci` (so it installs each workspace as the lock file
 * describes it), the root build that also bundles the dashboard's page, and a non-root user.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const lines = dockerfile.split('\n').filter((l) => !l.startsWith('#'));

test('both stages start from Node 24', () => {
  const froms = lines.filter((l) => l.startsWith('FROM '));
  expect(froms).toHaveLength(2);
  for (const f of froms) expect(f).toMatch(/^FROM node:24\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?( AS build)?$/);
});

test("every workspace's manifest is copied before npm ci", () => {
  const { workspaces } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const manifests = workspaces.flatMap((glob) => {
    const dir = glob.replace(/\/\*$/, '');
    return fs
      .readdirSync(path.join(root, dir))
      .filter((d) => fs.existsSync(path.join(root, dir, d, 'package.json')))
      .map((d) => `${dir}/${d}/package.json`);
  });
  expect(manifests.length).toBeGreaterThan(8);
  const ci = lines.findIndex((l) => /^RUN npm ci\b/.test(l));
  const copied = lines.slice(0, ci).flatMap((l) => /^COPY (\S+) /.exec(l)?.[1] ?? []);
  expect(manifests.filter((m) => !copied.includes(m))).toEqual([]);
});

test("the root build (the dashboard's page included) and a non-root user", () => {
  expect(lines).toContainEqual(expect.stringMatching(/^RUN npm run build && /));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts['build']).toContain('bundle -w @grokscope/dashboard');
  const users = lines.filter((l) => l.startsWith('USER '));
  expect(users).toEqual(['USER 1000:1000']);
  const lastFrom = lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
  expect(lines.indexOf(users[0]!)).toBeGreaterThan(lastFrom); // in the image that runs, not the build stage
});
