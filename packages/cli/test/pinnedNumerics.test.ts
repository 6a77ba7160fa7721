/**
 * Speed work must not move a single bit (docs/throughput.md): the quick preset's first 200 steps
 * today must give exactly the records that an earlier main wrote for seed 0
 * (packages/analysis/test/quick-runs, kept as real trainer output). Catches a kernel replacement
 * or a rewritten forward that changes any metric in its last bit.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bin, metrics, tmp } from './cliHarness';

const pinned = path.resolve(__dirname, '../../analysis/test/quick-runs/seed=0,condition=baseline');

test('the quick preset reproduces the recorded metrics of seed 0 bit for bit (steps 0–200)', () => {
  const out = path.join(tmp(), 'quick-0');
  const r = spawnSync(
    process.execPath,
    [bin, 'train', '--preset', 'quick', '--seed', '0', '--steps', '200', '--out', out, '--quiet'],
    { encoding: 'utf8', timeout: 240000 },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const recorded = metrics(pinned).filter((rec) => rec.step <= 200);
  expect(recorded.map((rec) => rec.step)).toEqual([0, 50, 100, 150, 200]);
  expect(fs.existsSync(path.join(out, 'metrics.jsonl'))).toBe(true);
  expect(metrics(out)).toEqual(recorded);
});
