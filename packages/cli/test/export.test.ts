/**
 * `grokscope export`: a real run's metrics as CSV and as a TensorBoard event file. The event
 * file is read back independently of the exporter: TFRecord framing and masked CRC-32C checked
 * record by record, each record decoded with protobufjs from TensorFlow's own .proto text
 * (fixtures/tensorboard/event.proto), and the values compared with metrics.jsonl.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import crc32c from 'crc-32/crc32c';
import * as protobuf from 'protobufjs';
import { csvField, metricsCsv } from '../src/metricsCsv';
import { maskedCrc32c } from '../src/tensorboardEventFile';
import { run, tmp, writeConfig } from './cliHarness';

const proto = protobuf.loadSync(path.join(__dirname, 'fixtures/tensorboard/event.proto'));
const Event = proto.lookupType('tensorflow.Event');

interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: { tag: string; simpleValue: number }[] };
}

/** TFRecord reading as TensorFlow's record_reader does it: length, its masked CRC, data, the data's masked CRC. */
function readRecords(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < 16) throw new Error(`truncated record header at byte ${at}`);
    const len = Number(buf.readBigUInt64LE(at));
    if (buf.readUInt32LE(at + 8) !== maskedCrc32c(buf.subarray(at, at + 8)))
      throw new Error(`bad length CRC at byte ${at}`);
    const data = buf.subarray(at + 12, at + 12 + len);
    if (data.length !== len || buf.length < at + 16 + len) throw new Error(`truncated record at byte ${at}`);
    if (buf.readUInt32LE(at + 12 + len) !== maskedCrc32c(data)) throw new Error(`bad data CRC at byte ${at}`);
    out.push(data);
    at += 16 + len;
  }
  return out;
}

/** proto3 leaves zero values off the wire: an absent step or wall time is 0. */
const decode = (data: Buffer) =>
  ({ wallTime: 0, step: 0, ...Event.toObject(Event.decode(data), { longs: Number }) }) as DecodedEvent;

/** metrics.jsonl as written (null: a non-finite value). */
const records = (dir: string) =>
  fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; wallMs: number; metrics: Record<string, number | null> });

test('CRC-32C and its TFRecord mask, against worked values', () => {
  expect(crc32c.str('123456789') >>> 0).toBe(0xe3069283); // the CRC-32C check value (RFC 3720 B.4 catalogue)
  // Empty data has CRC 0: rotating 0 gives 0, so the masked value is the mask constant itself.
  expect(maskedCrc32c(new Uint8Array(0))).toBe(0xa282ead8);
  // 0xE3069283 rotated right by 15 is 0x2507C60D; plus 0xA282EAD8 (mod 2^32) is 0xC78AB0E5.
  expect(maskedCrc32c(Buffer.from('123456789'))).toBe(0xc78ab0e5);
});

test('CSV: RFC 4180 quoting, empty cells for missing or non-finite values', () => {
  expect(csvField('plain/tag')).toBe('plain/tag');
  expect(csvField('a,b')).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  const csv = metricsCsv([
    { step: 0, wallMs: 5, metrics: { 'b/x': 0.5, 'a,y': 1 } },
    { step: 10, wallMs: 9, metrics: { 'b/x': NaN } },
    { step: 20, wallMs: 12, metrics: { 'b/x': null as unknown as number, 'a,y': 1e-7 } },
  ]);
  expect(csv).toBe('step,wall_ms,"a,y",b/x\r\n0,5,1,0.5\r\n10,9,,\r\n20,12,1e-7,\r\n');
});

describe('a real run exported', () => {
  const dir = tmp();
  const runDir = path.join(dir, 'runs', 'seed-0');
  beforeAll(() => {
    expect(
      run(['train', '--config', writeConfig(dir, { train: { steps: 30, evalEvery: 10 } }), '--out', runDir, '--quiet'])
        .status,
    ).toBe(0);
  });

  test('as TensorBoard: a version event, then one event per record with every finite metric as a scalar', () => {
    const out = path.join(dir, 'tb');
    const r = run(['export', path.join(dir, 'runs'), '--format', 'tensorboard', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const files = fs.readdirSync(path.join(out, 'seed-0'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\.\S+$/);
    const bytes = fs.readFileSync(path.join(out, 'seed-0', files[0]!));
    const events = readRecords(bytes).map(decode);
    const manifest = JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8')) as { createdAt: string };
    const start = Date.parse(manifest.createdAt) / 1000;
    expect(events[0]).toMatchObject({ fileVersion: 'brain.Event:2', wallTime: start });
    const logged = records(runDir);
    expect(events.slice(1).map((e) => e.step)).toEqual(logged.map((l) => l.step));
    logged.forEach((l, i) => {
      const e = events[i + 1]!;
      expect(e.wallTime).toBeCloseTo(start + l.wallMs / 1000, 6);
      const finite = Object.entries(l.metrics).filter(
        (kv): kv is [string, number] => typeof kv[1] === 'number' && Number.isFinite(kv[1]),
      );
      expect(finite.length).toBeGreaterThan(5);
      // simple_value is a float32: the exported value is the metric rounded to float.
      expect(Object.fromEntries(e.summary!.value.map((v) => [v.tag, v.simpleValue]))).toEqual(
        Object.fromEntries(finite.map(([k, v]) => [k, Math.fround(v)])),
      );
    });
    // The reader above is real: a flipped byte is caught by the CRC.
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 10]! ^= 0x01;
    expect(() => readRecords(damaged)).toThrow(/bad data CRC/);
    // Exporting again replaces the run's file rather than adding a second one.
    expect(run(['export', runDir, '--format', 'tensorboard', '--out', out]).status).toBe(0);
    expect(fs.readdirSync(path.join(out, 'seed-0'))).toHaveLength(1);
  });

  test('as CSV: a header of step, wall_ms and the tags; each row the record, exactly', () => {
    const out = path.join(dir, 'csv');
    const r = run(['export', runDir, '--format', 'csv', '--out', out, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      event: 'exported',
      schemaVersion: 1,
      format: 'csv',
      records: 4,
      file: path.join(out, 'seed-0.csv'),
    });
    const lines = fs.readFileSync(path.join(out, 'seed-0.csv'), 'utf8').split('\r\n');
    expect(lines.pop()).toBe('');
    const header = lines[0]!.split(',');
    const logged = records(runDir);
    expect(header).toEqual(['step', 'wall_ms', ...Object.keys(logged[0]!.metrics).sort()]);
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      const l = logged[i]!;
      expect(cells.map((c) => (c === '' ? null : Number(c)))).toEqual([
        l.step,
        l.wallMs,
        ...header.slice(2).map((t) => l.metrics[t] ?? null),
      ]);
    });
  });

  test('bad input: no runs, an unknown format', () => {
    const none = run(['export', path.join(dir, 'nothing'), '--format', 'csv', '--out', path.join(dir, 'x')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/DIR: no run directories \(with manifest\.json\) under/);
    const format = run(['export', runDir, '--format', 'parquet', '--out', path.join(dir, 'x')]);
    expect(format.status).toBe(2);
    expect(format.stderr).toMatch(
      /--format <format>' argument 'parquet' is invalid\. Allowed choices are csv, tensorboard/,
    );
  });
});
