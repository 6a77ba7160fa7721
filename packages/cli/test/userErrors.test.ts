/**
 * Mistakes a user makes, through the built binary (see ./cliHarness for building first): each
 * is one named line on stderr with exit 2 (never a stack), and a closed stdout interrupts a
 * run cleanly.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin, metrics, run, tmp, writeConfig } from './cliHarness';

/** Exit 2 and exactly one line on stderr, with no stack trace. */
function expectOneLineError(r: ReturnType<typeof run>, message: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('plugin options and config keys are checked like the rest of the config', () => {
  test('a misspelt plugin option names the field as the config spells it', () => {
    const dir = tmp();
    const cfg = writeConfig(dir, { interventions: [{ name: 'entropy-floor', options: { lamda: 1 } }] });
    const r = run(['train', '--config', cfg, '--out', path.join(dir, 'run')]);
    expectOneLineError(
      r,
      /^config error: interventions\[0\]\.options\.lamda: unknown field; .*\(did you mean "lambda"\?\) \(allowed here: lambda, floor, tap, eps\)$/m,
    );
    expect(fs.existsSync(path.join(dir, 'run'))).toBe(false);
  });
  test('a wrong option type names the field, the value and the type', () => {
    const r = run([
      'train',
      '--preset',
      'quick',
      '--set',
      'probes=["accuracy",{"name":"fourier","options":{"topK":"all"}}]',
      '--out',
      path.join(tmp(), 'run'),
    ]);
    expectOneLineError(r, /^config error: probes\[1\]\.options\.topK: got "all"; expected a number$/m);
  });
  test('a __proto__ key in a config file, or in a --set path, is a config error', () => {
    const dir = tmp();
    const file = path.join(dir, 'proto.json');
    fs.writeFileSync(
      file,
      '{"__proto__": {"seed": 3}, "task": {"kind": "cyclic", "modulus": 11}, "model": {"kind": "mlp"}, "train": {"steps": 5}}',
    );
    expectOneLineError(
      run(['train', '--config', file, '--out', path.join(dir, 'run')]),
      /^config error: __proto__: "__proto__" is not allowed as a config key/,
    );
    expectOneLineError(
      run(['train', '--preset', 'quick', '--set', '__proto__.x=1', '--out', path.join(dir, 'run')]),
      /^config error: --set __proto__\.x: "__proto__" is not allowed/,
    );
  });
  test('--set train=5 --steps 10 is refused instead of dropping the preset train settings', () => {
    const r = run([
      'train',
      '--preset',
      'quick',
      '--set',
      'train=5',
      '--steps',
      '10',
      '--out',
      path.join(tmp(), 'run'),
    ]);
    expectOneLineError(
      r,
      /^config error: --set train=5: train is a section of fields .*; set a field inside it instead, e\.g\. --set train\.steps=5$/m,
    );
  });
});

describe('sweep and config file mistakes', () => {
  test('--shard 5/3 is a usage error, before the sweep file is read, with --json too', () => {
    const dir = tmp();
    const file = path.join(dir, 'never-read.yaml'); // does not exist: the option is refused first
    for (const cmd of [
      ['sweep', file],
      ['reproduce', '--study', file],
    ]) {
      const r = run([...cmd, '--shard', '5/3', '--json']);
      expect(r.status).toBe(2);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'error', kind: 'usage', exitCode: 2 });
      expect(r.stderr).toMatch(/--shard.*'5\/3'.*numbered 0 to n-1/);
    }
    const half = run(['sweep', file, '--shard', 'half']);
    expect([half.status, half.stderr]).toEqual([2, expect.stringMatching(/--shard.*'half'.*expected i\/n/)]);
  });
  test('a YAML syntax error shows the lines it is at, not only "at line 3, column 1:"', () => {
    const dir = tmp();
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'task:\n  kind: cyclic\n modulus: 7\n');
    const r = run(['train', '--config', file, '--out', path.join(dir, 'run')]);
    expect(r.status).toBe(2);
    const where = 'All mapping items must start at the same column at line 3, column 1:';
    expect(r.stderr).toContain(`is not valid YAML: ${where}\n  kind: cyclic\n modulus: 7\n^`);
  });
});

describe('file-system problems are one named line with exit 2', () => {
  test('train --out that is a file, or inside one', () => {
    const dir = tmp();
    const file = path.join(dir, 'taken');
    fs.writeFileSync(file, 'not a folder');
    expectOneLineError(
      run(['train', '--config', writeConfig(dir), '--out', file]),
      /^file system error: --out .*taken: is a file, not a folder; give --out a folder/,
    );
    expectOneLineError(
      run(['train', '--config', writeConfig(dir), '--out', path.join(file, 'run')]),
      /taken is a file, not a folder, so no folder can be made inside it/,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder');
  });
  test('report --out that is a file', () => {
    const dir = tmp();
    expect(
      run([
        'train',
        '--config',
        writeConfig(dir, { train: { steps: 10, evalEvery: 10 } }),
        '--out',
        path.join(dir, 'runs', 'r0'),
        '--quiet',
      ]).status,
    ).toBe(0);
    const file = path.join(dir, 'report.md');
    fs.writeFileSync(file, '');
    expectOneLineError(
      run(['report', path.join(dir, 'runs'), '--out', file]),
      /^file system error: --out .*report\.md: is a file, not a folder/,
    );
  });
  test('a read-only parent (a read-only bind mount, where this machine allows one)', () => {
    const dir = tmp();
    const [src, ro] = [path.join(dir, 'src'), path.join(dir, 'ro')];
    fs.mkdirSync(src);
    fs.mkdirSync(ro);
    // Needs privileges; elsewhere outputDir.test.ts covers the same check with a simulated EROFS.
    if (spawnSync('mount', ['--bind', '-o', 'ro', src, ro]).status !== 0) return;
    try {
      expectOneLineError(
        run(['train', '--config', writeConfig(dir), '--out', path.join(ro, 'run')]),
        /^file system error: --out .*ro\/run: .*ro is on a read-only file system; choose --out on a writable disk$/m,
      );
    } finally {
      spawnSync('umount', [ro]);
    }
  });
});

test('a closed stdout (train --json | head) interrupts the run with a checkpoint and exit 130; the same command resumes', async () => {
  const dir = tmp();
  const cfg = writeConfig(dir, { train: { steps: 500, evalEvery: 50 } });
  const out = path.join(dir, 'run');
  // Seconds of training after the first line, so the run cannot finish before the reader goes.
  const child = spawn(process.execPath, [bin, 'train', '--config', cfg, '--out', out, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let first = '';
  child.stdout.on('data', (d: Buffer) => {
    first += d.toString();
    if (first.includes('\n')) child.stdout.destroy(); // like `head -1` exiting: the reader is gone
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toMatch(/^stdout closed: interrupted at step \d+; checkpoint written to .*\nresume with: /);
  expect(code).toBe(130);
  expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ event: 'evaluation', step: 0 });
  expect(fs.readdirSync(path.join(out, 'checkpoints')).length).toBeGreaterThan(0);
  expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(false);
  const again = run(['train', '--config', cfg, '--out', out]);
  expect(again.status).toBe(0);
  expect(again.stdout).toMatch(/resuming .* from step [1-9]/);
  expect(metrics(out).map((m) => m.step)).toEqual([...Array(11).keys()].map((k) => 50 * k));
});
