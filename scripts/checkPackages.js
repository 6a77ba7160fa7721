// CI's check of what would be published: packs every package the way `npm publish` would (its
// `prepack` builds it clean), then checks each tarball with
//   - publint --strict (package.json fields and `exports` against the files really packed),
//   - @arethetypeswrong/cli (types resolve, and agree with the JavaScript, under node10, node16
//     from CJS and from ESM, and bundler resolution),
//   - and our own rules: a LICENSE, no .tsbuildinfo, every source map's sources inside the
//     tarball, and no `source` export condition (it would point consumers' tools at files
//     compiled with our settings, not theirs).
//
//   node scripts/checkPackages.js [--ignore-scripts]   # exit 1 naming every problem
//
// .ci/run runs it after `npm test`; docs/packaging.md explains each rule.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { packAll, root } = require('./packAll');

const bin = (name) => path.join(root, 'node_modules/.bin', name);

function run(cmd, args) {
  try {
    return { ok: true, out: execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (err) {
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** Our rules, read from the unpacked tarball. */
function ownRules(name, unpacked, files) {
  const problems = [];
  if (!files.includes('LICENSE')) problems.push('no LICENSE file: copy the repository LICENSE into the package folder');
  for (const f of files.filter((f) => f.endsWith('.tsbuildinfo')))
    problems.push(`${f} is packed: keep "!dist/.tsbuildinfo" in "files"`);
  for (const f of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(fs.readFileSync(path.join(unpacked, f), 'utf8'));
    for (const s of map.sources ?? []) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), map.sourceRoot ?? '', s));
      if (!files.includes(target))
        problems.push(`${f} maps to ${target}, which is not in the tarball: add its folder to "files"`);
    }
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
  const walk = (node, where) => {
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'source') problems.push(`exports${where} has a "source" condition: remove it`);
      walk(v, `${where}["${k}"]`);
    }
  };
  walk(pkg.exports, '');
  return problems.map((p) => `${name}: ${p}`);
}

function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-check-'));
  const problems = [];
  try {
    const packs = packAll(path.join(work, 'tarballs'), { ignoreScripts: process.argv.includes('--ignore-scripts') });
    for (const [name, p] of packs) {
      const unpacked = path.join(work, name.replace('@grokscope/', ''));
      fs.mkdirSync(unpacked, { recursive: true });
      execFileSync('tar', ['-xzf', p.tarball, '-C', unpacked, '--strip-components=1']);
      const pub = run(bin('publint'), ['run', p.tarball, '--strict']);
      if (!pub.ok || publintProblems(pub.out)) problems.push(`${name}: publint:\n${pub.out.trim()}`);
      const attw = run(bin('attw'), [p.tarball, '--format', 'ascii', '--no-emoji', '--no-color']);
      if (!attw.ok) problems.push(`${name}: @arethetypeswrong/cli:\n${attw.out.trim()}`);
      problems.push(...ownRules(name, unpacked, p.files));
      console.log(
        `${name}: ${p.files.length} files, publint ${pub.ok ? 'ok' : 'FAILED'}, attw ${attw.ok ? 'ok' : 'FAILED'}`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (problems.length) {
    console.error(`\n${problems.length} packaging problem(s):\n\n${problems.join('\n\n')}`);
    process.exit(1);
  }
  console.log('every package: publint, attw and the tarball rules pass');
}

/**
 * Whether publint's report holds anything but the one suggestion we decline: tasks and probes
 * swap one Node-only file for a browser twin through `browser`'s object form, which every bundler
 * honours; the `imports` field publint offers instead needs node16 module resolution, which these
 * CommonJS packages are not compiled with (docs/packaging.md § Checks).
 */
function publintProblems(out) {
  const declined = /^\d+\. pkg\.browser with an object value can be refactored[^\n]*$/m;
  const items = out.split('\n').filter((l) => /^\d+\. /.test(l) && !declined.test(l));
  return items.length > 0 || /Warnings?:|Errors?:/.test(out);
}

main();
