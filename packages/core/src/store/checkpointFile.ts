import { createHash } from 'node:crypto';

const MAGIC = 'GROKSCOPE-CKPT-1\n';

export interface StoredTensor {
  readonly shape: number[];
  readonly values: Float32Array;
}

/** Everything a run needs to continue exactly: tensors plus JSON state. */
export interface CheckpointData {
  readonly step: number;
  readonly wallMs: number;
  /** Run-level JSON state: RNG states, optimiser iterations, plugin states… */
  readonly state: Record<string, unknown>;
  /** Parameters (`param/<name>`) and optimiser slots (`optim/<slot>`). */
  readonly tensors: Map<string, StoredTensor>;
}

interface Header {
  step: number;
  wallMs: number;
  state: Record<string, unknown>;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

/**
 * Layout: magic line, 4-byte header length, JSON header, float32 payload, then the SHA-256 of
 * everything before it. A torn or flipped byte anywhere fails the checksum.
 */
// The signatures say Uint8Array, not Buffer (a Buffer is one): core's published types must not
// need Node's (@types/node) in a consumer that type-checks them (skipLibCheck off).
export function encodeCheckpoint(data: CheckpointData): Uint8Array {
  const tensors: Header['tensors'] = [];
  let offset = 0;
  for (const [name, t] of data.tensors) {
    tensors.push({ name, shape: t.shape, offset, length: t.values.length });
    offset += t.values.length;
  }
  const header = Buffer.from(
    JSON.stringify({ step: data.step, wallMs: data.wallMs, state: data.state, tensors } satisfies Header),
    'utf8',
  );
  const payload = Buffer.alloc(offset * 4);
  for (const [i, [, t]] of [...data.tensors].entries()) {
    Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength).copy(payload, tensors[i]!.offset * 4);
  }
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const body = Buffer.concat([Buffer.from(MAGIC, 'utf8'), len, header, payload]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

/** Decodes and verifies a checkpoint; throws a message saying what is wrong (the caller adds the path). */
export function decodeCheckpoint(bytes: Uint8Array): CheckpointData {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = Buffer.from(MAGIC, 'utf8');
  if (buf.length < magic.length + 4 + 32 || !buf.subarray(0, magic.length).equals(magic)) {
    throw new Error('not a grokscope checkpoint (bad magic or too short)');
  }
  const body = buf.subarray(0, buf.length - 32);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(buf.subarray(buf.length - 32)))
    throw new Error('checksum mismatch: the file is corrupted or was cut short');
  const hlen = body.readUInt32LE(magic.length);
  const hstart = magic.length + 4;
  const header = JSON.parse(body.subarray(hstart, hstart + hlen).toString('utf8')) as Header;
  const payload = body.subarray(hstart + hlen);
  const aligned = new Float32Array(payload.length / 4);
  Buffer.from(aligned.buffer).set(payload);
  const tensors = new Map<string, StoredTensor>();
  for (const t of header.tensors) {
    tensors.set(t.name, { shape: t.shape, values: aligned.slice(t.offset, t.offset + t.length) });
  }
  return { step: header.step, wallMs: header.wallMs, state: header.state, tensors };
}
