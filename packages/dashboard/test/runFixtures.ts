import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '@grokscope/analysis';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

export function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-dash-'));
  made.push(d);
  return d;
}

/** A record with hand-picked H̃ and accuracies (train, test). */
export const rec = (step: number, h: number, train: number, test: number): RunRecord => ({
  step,
  wallMs: step * 10,
  metrics: { 'entropy/Hn': h, 'accuracy/train': train, 'accuracy/test': test, 'norm/weights': 10 - step / 1000 },
});

export const line = (r: RunRecord) => JSON.stringify(r) + '\n';

/** A run folder as the trainer lays it out: manifest.json, metrics.jsonl, and summary.json when `status` is given. */
export function writeRun(
  dir: string,
  records: readonly RunRecord[],
  o: { status?: string; condition?: string; seed?: number } = {},
): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      versions: { '@grokscope/core': '0.1.0' },
      backend: 'wasm',
      seed: o.seed ?? 0,
      config: { condition: o.condition ?? 'baseline' },
      createdAt: `2025-01-01T00:00:0${o.seed ?? 0}Z`,
    }),
  );
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), records.map(line).join(''));
  if (o.status)
    fs.writeFileSync(
      path.join(dir, 'summary.json'),
      JSON.stringify({ status: o.status, steps: records[records.length - 1]?.step ?? 0 }),
    );
  return dir;
}

/** A grokking run of known shape: memorises at 200, H̃ falls 0.9 → 0.5, test accuracy crosses 0.95 at 1000. */
export function grokkingRecords(n = 16, every = 100): RunRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const step = i * every;
    return rec(
      step,
      0.9 - 0.4 * Math.min(1, step / 1200),
      step >= 200 ? 1 : 0.5,
      step >= 1000 ? 0.97 : 0.1 + step / 2000,
    );
  });
}
