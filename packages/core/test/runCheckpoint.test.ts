import { GrokscopeError } from '../src';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  runCheckpointCodec,
  type RunCheckpoint,
  type RunIdentity,
} from '../src/internal';

const t = (shape: number[], ...values: number[]) => ({ shape, values: Float32Array.from(values) });
const identity: RunIdentity = {
  config: null,
  optimizer: { name: 'adamw', lr: 0.001 },
  evalEvery: 10,
  batchSize: null,
  seed: 0,
  shapes: { embed: [2, 2], out: [2] },
};
const ckpt: RunCheckpoint = {
  step: 30,
  wallMs: 1234,
  identity,
  optimizer: { name: 'adamw', iterations: 30, learningRate: 0.0005 },
  batchRng: { s: [1, 2, 3, 4] } as never,
  plugins: { mixing: { s: [5] } },
  params: new Map([
    ['embed', t([2, 2], 1, 2, 3, 4)],
    ['out', t([2], 5, 6)],
  ]),
  slots: new Map([['m/embed', t([2, 2], 0.1, 0.2, 0.3, 0.4)]]),
};
const roundTrip = (c: RunCheckpoint) =>
  runCheckpointCodec.decode(decodeCheckpoint(encodeCheckpoint(runCheckpointCodec.encode(c))), 'ckpt-30');

test('encode → file bytes → decode gives back every field and tensor', () => {
  const back = roundTrip(ckpt);
  expect(back).toEqual(ckpt);
  expect([...back.params.keys()]).toEqual(['embed', 'out']);
});

test("today's layout, written by hand as the trainer wrote it before the codec, still loads", () => {
  // The layout of checkpoints written before this codec: param/ and optim/ tensors, state without a learning rate.
  const old = decodeCheckpoint(
    encodeCheckpoint({
      step: 20,
      wallMs: 99,
      state: { run: identity, optimizer: { name: 'adamw', iterations: 20 }, batchRng: { s: [9] }, plugins: {} },
      tensors: new Map([
        ['param/embed', t([2, 2], 1, 1, 1, 1)],
        ['param/out', t([2], 0, 0)],
        ['optim/m/embed', t([2, 2], 0, 0, 0, 0)],
      ]),
    }),
  );
  const c = runCheckpointCodec.decode(old, 'old');
  expect(c.optimizer).toEqual({ name: 'adamw', iterations: 20 });
  expect([...c.slots.keys()]).toEqual(['m/embed']);
  expect(() => runCheckpointCodec.check(c, identity, 'adamw', 'old')).not.toThrow();
});

test('on load it checks the optimiser name and every parameter shape, naming each difference', () => {
  const c = roundTrip(ckpt);
  const mismatch = (mine: RunIdentity, opt: string) => {
    try {
      runCheckpointCodec.check(c, mine, opt, 'ckpt-30');
    } catch (err) {
      expect((err as GrokscopeError).code).toBe('E_CHECKPOINT_MISMATCH');
      return (err as Error).message;
    }
    throw new Error('no mismatch reported');
  };
  expect(mismatch(identity, 'sgd')).toContain('optimizer: adamw → sgd');
  expect(mismatch({ ...identity, shapes: { embed: [2, 3], out: [2] } }, 'adamw')).toContain(
    'parameter embed: shape 2×2 → 2×3',
  );
  expect(mismatch({ ...identity, shapes: { ...identity.shapes, extra: [1] } }, 'adamw')).toContain(
    'parameter extra: missing from the checkpoint',
  );
});

test('a file without the run layout is a named E_CHECKPOINT', () => {
  const foreign = decodeCheckpoint(encodeCheckpoint({ step: 1, wallMs: 0, state: {}, tensors: new Map() }));
  expect(() => runCheckpointCodec.decode(foreign, 'x.ckpt')).toThrow(
    /x\.ckpt: state\.optimizer \(name, iterations\) is missing/,
  );
});

// The codec's types say Uint8Array (no @types/node needed by a consumer): bytes that are not a
// Buffer (read in a browser, or copied) decode alike.
test('a checkpoint decodes from a plain Uint8Array as from a Buffer', () => {
  const tensors = new Map([['w', { shape: [2], values: new Float32Array([1.5, -2]) }]]);
  const data = { step: 7, wallMs: 3, state: { a: 1 }, tensors };
  const bytes = encodeCheckpoint(data);
  const copy = new Uint8Array(new ArrayBuffer(bytes.length + 8), 8, bytes.length); // not at offset 0 of its buffer
  copy.set(bytes);
  expect(decodeCheckpoint(copy)).toEqual(decodeCheckpoint(bytes));
  expect(decodeCheckpoint(copy).tensors.get('w')!.values).toEqual(new Float32Array([1.5, -2]));
});
