/**
 * What the subprocess tests share: the BUILT binary (packages/cli/dist/bin.js), temp dirs removed
 * after each file, and a tiny config that trains in seconds. The root `npm test` builds every
 * package (`tsc -b`) first; when running a test file on its own, build first:
 * `npx tsc -b packages/cli && (cd packages/cli && npx jest)`.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const bin = path.resolve(__dirname, '../dist/bin.js');

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
export const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-cli-'));
  made.push(dir);
  return dir;
};

export const run = (args: string[], cwd?: string) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, timeout: 120000 });

// Over the quick preset, so it states what the tests rely on: an ordered split and lr 1e-3.
const tiny = {
  task: { kind: 'cyclic', modulus: 11, trainFraction: 0.5, split: 'ordered' },
  model: { kind: 'transformer', dModel: 16, heads: 4, dMlp: 32 },
  optimizer: { lr: 0.001 },
  train: { steps: 120, evalEvery: 10 },
};
/** Writes the tiny config (top-level fields replaced by `extra`) to DIR/tiny.json. */
export function writeConfig(dir: string, extra: object = {}): string {
  const file = path.join(dir, 'tiny.json');
  fs.writeFileSync(file, JSON.stringify({ ...tiny, ...extra }));
  return file;
}

/** The records of DIR/metrics.jsonl, without wall time (which differs between runs). */
export const metrics = (dir: string) =>
  fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const r = JSON.parse(l) as { step: number; metrics: Record<string, number> };
      return { step: r.step, metrics: r.metrics };
    });

/**
 * Runs `node ARGS` (a `train … --json` command line) and sends SIGKILL right after its second
 * checkpoint event: a kill mid-step, with two checkpoints on disk. Resolves with the signal the
 * process ended by and the step of that checkpoint (-1: it ended before two were written).
 */
export function killAfterSecondCheckpoint(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ signal: NodeJS.Signals | null; step: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'], env });
    let out = '';
    let step = -1;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const checkpoints = [...out.matchAll(/"event":"checkpoint"[^\n]*"step":(\d+)/g)];
      if (step < 0 && checkpoints.length >= 2) {
        step = Number(checkpoints[1]![1]);
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, step }));
  });
}
