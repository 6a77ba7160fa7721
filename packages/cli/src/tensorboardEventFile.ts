import * as os from 'node:os';
import * as path from 'node:path';
import crc32c from 'crc-32/crc32c';
import * as protobuf from 'protobufjs';

/**
 * TensorBoard's `Event` and `Summary` messages, the fields a scalar log uses, with the field
 * numbers of tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto (the
 * format TensorBoard reads). Encoded with protobufjs rather than by hand.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    tensorboard: {
      nested: {
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'summary'] } },
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              oneofs: { value: { oneof: ['simpleValue'] } },
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
              },
            },
          },
        },
      },
    },
  },
});
const Event = root.lookupType('tensorboard.Event');

/** The first event of every event file: the format version TensorBoard checks. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** One scalar per tag at a step, at a wall time in seconds since the epoch. */
export interface ScalarStep {
  readonly step: number;
  readonly wallTime: number;
  readonly values: Readonly<Record<string, number>>;
}

/** TFRecord's masked CRC-32C (tensorflow/core/lib/hash/crc32c.h: rotate right by 15, add a constant). */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c.buf(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: length (uint64 LE), its masked CRC, the data, the data's masked CRC. */
export function tfRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(data.length), 0);
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([header, data, footer]);
}

/**
 * The bytes of a TensorBoard event file: the version event, then one event per step holding a
 * scalar summary per tag. Non-finite values are left out (TensorBoard's scalar charts drop them
 * anyway, and metrics.jsonl stores them as null).
 */
export function tensorboardEventFile(steps: readonly ScalarStep[], createdAt: number): Buffer {
  const events = [
    { wallTime: createdAt, step: 0, fileVersion: EVENT_FILE_VERSION },
    ...steps.map((s) => ({
      wallTime: s.wallTime,
      step: s.step,
      summary: {
        value: Object.entries(s.values)
          .filter(([, v]) => Number.isFinite(v))
          .map(([tag, simpleValue]) => ({ tag, simpleValue })),
      },
    })),
  ];
  return Buffer.concat(events.map((e) => tfRecord(Event.encode(Event.fromObject(e)).finish())));
}

/** `events.out.tfevents.<seconds>.<host>`: the name TensorBoard looks for ("tfevents" in it). */
export function eventFileName(createdAt: number): string {
  return `events.out.tfevents.${Math.floor(createdAt)}.${os.hostname().replace(/[^\w.-]+/g, '_') || 'localhost'}`;
}

export const eventFilePath = (dir: string, createdAt: number) => path.join(dir, eventFileName(createdAt));
