import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRun } from '@grokscope/analysis';
import { MetricsTail } from '../src/metricsTail';
import { line, rec, tmpDir } from './runFixtures';

const QUICK_RUN = path.resolve(__dirname, '../../analysis/test/quick-runs/seed=0,condition=baseline');

describe('MetricsTail', () => {
  it('reads a real trainer log fed in arbitrary pieces to the same records as readRun', () => {
    const text = fs.readFileSync(path.join(QUICK_RUN, 'metrics.jsonl'));
    const file = path.join(tmpDir(), 'metrics.jsonl');
    fs.writeFileSync(file, '');
    const tail = new MetricsTail(file);
    // Piece sizes that split lines (and so multi-byte H̃-free JSON) anywhere.
    let at = 0;
    for (let i = 0; at < text.length; i++) {
      const n = [1, 7, 333, 4096, 50, 12345][i % 6]!;
      fs.appendFileSync(file, text.subarray(at, at + n));
      at += n;
      tail.poll();
    }
    expect(tail.records).toEqual(readRun(QUICK_RUN).records);
    expect(tail.skipped).toEqual([]);
  });

  it('holds back a last line without its newline (a write in progress) until it is complete', () => {
    const file = path.join(tmpDir(), 'metrics.jsonl');
    fs.writeFileSync(file, line(rec(0, 0.9, 0.1, 0.1)));
    const tail = new MetricsTail(file);
    expect(tail.poll().added.map((r) => r.step)).toEqual([0]);
    const next = line(rec(10, 0.8, 0.2, 0.1));
    fs.appendFileSync(file, next.slice(0, 25));
    const partial = tail.poll();
    expect(partial.added).toEqual([]);
    expect(partial.warnings).toEqual([]);
    fs.appendFileSync(file, next.slice(25));
    expect(tail.poll().added.map((r) => r.step)).toEqual([10]);
    expect(tail.bytesRead).toBe(fs.statSync(file).size);
  });

  it('keeps a multi-byte character split across two writes intact', () => {
    const file = path.join(tmpDir(), 'metrics.jsonl');
    const bytes = Buffer.from(JSON.stringify({ step: 0, wallMs: 1, metrics: { 'entropy/H̃': 0.5 } }) + '\n');
    const cut = bytes.indexOf(Buffer.from('H̃')) + 1; // inside the two-byte "H"+combining tilde run
    fs.writeFileSync(file, bytes.subarray(0, cut + 1));
    const tail = new MetricsTail(file);
    tail.poll();
    fs.appendFileSync(file, bytes.subarray(cut + 1));
    expect(tail.poll().added).toEqual([{ step: 0, wallMs: 1, metrics: { 'entropy/H̃': 0.5 } }]);
  });

  it('reads only the bytes appended since the last poll', () => {
    const file = path.join(tmpDir(), 'metrics.jsonl');
    fs.writeFileSync(file, Array.from({ length: 2000 }, (_, i) => line(rec(i, 0.5, 1, 0.5))).join(''));
    const tail = new MetricsTail(file);
    tail.poll();
    const extra = line(rec(2000, 0.4, 1, 0.9));
    fs.appendFileSync(file, extra);
    // The module object itself (the namespace import is read-only): the tail's reads go through it.
    const spy = jest.spyOn(require('node:fs') as typeof fs, 'readSync');
    try {
      expect(tail.poll().added.map((r) => r.step)).toEqual([2000]);
      const requested = spy.mock.calls.reduce((s, c) => s + ((c as unknown[])[3] as number), 0);
      expect(requested).toBe(Buffer.byteLength(extra));
    } finally {
      spy.mockRestore();
    }
    expect(tail.records).toHaveLength(2001);
  });

  it('skips a malformed complete line and a step out of order with a warning naming the line, and reads on', () => {
    const file = path.join(tmpDir(), 'metrics.jsonl');
    fs.writeFileSync(
      file,
      line(rec(0, 0.9, 0.1, 0.1)) +
        '{"step": 10, "wallMs": \n' +
        line(rec(5, 0.8, 0.1, 0.1)) +
        line(rec(3, 0.8, 0.1, 0.1)) +
        '{"step": 7}\n',
    );
    const tail = new MetricsTail(file);
    const u = tail.poll();
    expect(u.added.map((r) => r.step)).toEqual([0, 5]);
    expect(u.warnings).toHaveLength(3);
    expect(u.warnings[0]).toMatch(/metrics\.jsonl: line 2 is not valid JSON/);
    expect(u.warnings[1]).toMatch(/line 4: step 3 does not follow step 5/);
    expect(u.warnings[2]).toMatch(/line 5 is not a metrics record/);
    fs.appendFileSync(file, line(rec(20, 0.7, 0.2, 0.1)));
    expect(tail.poll().added.map((r) => r.step)).toEqual([20]);
  });

  it('starts over when the log is replaced or cut shorter (a run restarted in the same folder)', () => {
    const file = path.join(tmpDir(), 'metrics.jsonl');
    fs.writeFileSync(file, line(rec(0, 0.9, 0.1, 0.1)) + line(rec(10, 0.8, 0.1, 0.1)));
    const tail = new MetricsTail(file);
    tail.poll();
    fs.writeFileSync(file, line(rec(0, 0.7, 0.1, 0.1)));
    const u = tail.poll();
    expect(u.reset).toBe(true);
    expect(tail.records.map((r) => r.metrics['entropy/Hn'])).toEqual([0.7]);
  });

  it('a missing log (not written yet, or its folder removed) gives nothing and keeps what was read', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'metrics.jsonl');
    const tail = new MetricsTail(file);
    expect(tail.poll()).toEqual({ added: [], reset: false, warnings: [] });
    fs.writeFileSync(file, line(rec(0, 0.9, 0.1, 0.1)));
    tail.poll();
    fs.rmSync(file);
    expect(tail.poll().added).toEqual([]);
    expect(tail.records).toHaveLength(1);
  });
});
