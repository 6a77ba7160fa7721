/**
 * What the run store and the trainer promise when things go wrong (docs/reliability.md): a full
 * disk, a lost manifest or log, a checkpoint from another config, a NaN inside a plugin, a lost
 * lock. Each test names the issue item it guards.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  GrokscopeError,
  NonFiniteError,
  type Plugin,
  RunStore,
  StorageError,
  Trainer,
  type TrainerOptions,
  useBackend,
} from '../src';
import { writeFileAtomic } from '../src/internal';
import { appendDurable } from '../src/store/atomicFile';
import { accuracy, addTask, metricsOf, splitHalf, TinyModel, tinyOptions } from './fixtures/tiny';

// The real module object (the sources' `import * as fs` reads through to it), so spies reach them.
const fs = require('node:fs') as typeof import('node:fs');
type PathLike = import('node:fs').PathLike;
type PathOrFileDescriptor = import('node:fs').PathOrFileDescriptor;

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'grokscope-rel-'));
const task = addTask(7);
const split = splitHalf(task, 0);

beforeAll(async () => {
  await useBackend('wasm');
});
afterEach(() => jest.restoreAllMocks());

const options = (over: Partial<TrainerOptions> = {}) =>
  tinyOptions({ task, split, model: new TinyModel(task, 0), ...over });

async function reference(steps: number, over: Partial<TrainerOptions> = {}) {
  const dir = path.join(tmp(), 'ref');
  await new Trainer(options({ runDir: dir, steps, ...over })).run();
  return metricsOf(dir);
}

/** Makes every write to a path matching `match` write half its bytes, then fail with ENOSPC. */
function fillDiskFor(match: RegExp): void {
  const real = fs.writeSync.bind(fs) as (...a: unknown[]) => number;
  const paths = new Map<number, string>();
  const realOpen = fs.openSync.bind(fs) as (...a: unknown[]) => number;
  jest.spyOn(fs, 'openSync').mockImplementation(((file: PathLike, ...rest: unknown[]) => {
    const fd = realOpen(file, ...rest);
    paths.set(fd, String(file));
    return fd;
  }) as typeof fs.openSync);
  let short = true;
  jest.spyOn(fs, 'writeSync').mockImplementation(((
    fd: number,
    buf: Uint8Array,
    offset: number | null = 0,
    length?: number | null,
  ) => {
    offset ??= 0;
    if (!match.test(paths.get(fd) ?? '')) return real(fd, buf, offset, length);
    const len = length ?? buf.length - offset;
    if (short && len > 1) {
      short = false;
      return real(fd, buf, offset, len >> 1); // a short write: the caller must loop
    }
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      errno: -28,
      syscall: 'write',
    });
  }) as typeof fs.writeSync);
}

describe('item 1: a full disk loses nothing and says so', () => {
  test('a short write is completed: writeFileAtomic loops until every byte is written', () => {
    const file = path.join(tmp(), 'f.bin');
    const real = fs.writeSync.bind(fs) as (...a: unknown[]) => number;
    jest
      .spyOn(fs, 'writeSync')
      .mockImplementation(((fd: number, buf: Uint8Array, offset: number | null = 0, length?: number | null) =>
        real(fd, buf, offset ?? 0, Math.min(7, length ?? buf.length - (offset ?? 0)))) as typeof fs.writeSync);
    const data = Buffer.from('x'.repeat(1000));
    writeFileAtomic(file, data);
    jest.restoreAllMocks();
    expect(fs.readFileSync(file)).toEqual(data);
  });

  test('ENOSPC mid-write keeps the old file, leaves no temp file, and throws a StorageError naming the file', () => {
    const dir = tmp();
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, 'old');
    fillDiskFor(/state\.json/);
    const err = (() => {
      try {
        writeFileAtomic(file, 'n'.repeat(100));
      } catch (e) {
        return e;
      }
    })();
    jest.restoreAllMocks();
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('E_STORAGE');
    expect((err as Error).message).toMatch(/state\.json.*ENOSPC.*disk is full/);
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  test('an append that fails part-way is cut back: no torn line stays in the log', () => {
    const file = path.join(tmp(), 'metrics.jsonl');
    fs.writeFileSync(file, '{"a":1}\n');
    fillDiskFor(/metrics\.jsonl/);
    expect(() => appendDurable(file, '{"b":2}\n')).toThrow(StorageError);
    jest.restoreAllMocks();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n');
  });

  test('a checkpoint that cannot be written fails the run (not completed), keeps the last good one, and resume finishes it exactly', async () => {
    const ref = await reference(40);
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20 })).run();
    fillDiskFor(/step-000000030\.ckpt/);
    const err = await new Trainer(options({ runDir: dir, steps: 40, resume: true })).run().catch((e: unknown) => e);
    jest.restoreAllMocks();
    expect(err).toBeInstanceOf(StorageError);
    const store = new RunStore(dir);
    expect(store.readSummary()?.status).toBe('failed');
    expect(store.checkpoints().map((c) => c.step)).toEqual([20, 10]);
    expect(store.latestCheckpoint()!.data.step).toBe(20);
    expect(fs.readdirSync(store.checkpointDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await new Trainer(options({ runDir: dir, steps: 40, resume: true })).run();
    expect(metricsOf(dir)).toEqual(ref);
  });

  test('a checkpoint that does not read back intact is removed and the older ones are not pruned', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20 })).run();
    const realRead = fs.readFileSync.bind(fs) as (...a: unknown[]) => Buffer | string;
    jest.spyOn(fs, 'readFileSync').mockImplementation(((file: PathOrFileDescriptor, ...rest: unknown[]) => {
      const out = realRead(file, ...rest);
      return /step-000000030\.ckpt$/.test(String(file)) && Buffer.isBuffer(out)
        ? out.subarray(0, out.length - 10)
        : out;
    }) as typeof fs.readFileSync);
    const err = await new Trainer(options({ runDir: dir, steps: 40, resume: true })).run().catch((e: unknown) => e);
    jest.restoreAllMocks();
    expect((err as Error).message).toMatch(/does not verify.*older checkpoints are kept/);
    expect(new RunStore(dir).checkpoints().map((c) => c.step)).toEqual([20, 10]);
  });
});

describe('item 3: a run directory without its manifest', () => {
  test('is refused with the files it holds named, and nothing is appended', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20 })).run();
    const store = new RunStore(dir);
    fs.rmSync(store.manifestPath);
    const before = fs.readFileSync(store.metricsPath, 'utf8');
    const err = await new Trainer(options({ runDir: dir, steps: 40, resume: true })).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrokscopeError);
    expect((err as Error).message).toMatch(
      /metrics\.jsonl, summary\.json, checkpoints\/\) but no manifest\.json.*delete the directory/,
    );
    expect(fs.readFileSync(store.metricsPath, 'utf8')).toBe(before);
    expect(fs.existsSync(store.manifestPath)).toBe(false);
  });
});

describe('item 4: resume starts from a checkpoint the surviving log covers', () => {
  test("a cut-short record at the checkpoint's own step is recomputed, and the events match", async () => {
    const ref = await reference(40);
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 40 })).run();
    const store = new RunStore(dir);
    const refSummary = store.readSummary()!;
    // Crash story: step 30 was evaluated and checkpointed, but its log line is torn; nothing later.
    fs.rmSync(path.join(store.checkpointDir, 'step-000000040.ckpt'));
    fs.rmSync(store.summaryPath);
    const lines = fs.readFileSync(store.metricsPath, 'utf8').split('\n');
    fs.writeFileSync(store.metricsPath, lines.slice(0, 3).join('\n') + '\n' + lines[3]!.slice(0, 15));
    const logs: string[] = [];
    const t = new Trainer(options({ runDir: dir, steps: 40, resume: true }));
    t.events.on('log', (e) => logs.push(e.message));
    await t.run();
    expect(logs.join('\n')).toMatch(/lacks the evaluation\(s\) at step 30 before the checkpoint at step 30/);
    expect(metricsOf(dir)).toEqual(ref);
    expect(store.readSummary()!.events).toEqual(refSummary.events);
  });

  test('a deleted log trains again from step 0 to exactly the uninterrupted metrics', async () => {
    const ref = await reference(40);
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 30 })).run();
    const store = new RunStore(dir);
    fs.rmSync(store.metricsPath);
    fs.rmSync(store.summaryPath);
    await new Trainer(options({ runDir: dir, steps: 40, resume: true })).run();
    expect(metricsOf(dir)).toEqual(ref);
  });
});

describe('item 5: a checkpoint belongs to its run', () => {
  // The caller's identity: here, as the CLI's, the config less its step cap.
  const config = (lr: number) => ({ optimizer: { name: 'adamw', lr }, train: { evalEvery: 10 } });
  const described = (lr: number, steps: number) => ({
    config: { ...config(lr), train: { steps, evalEvery: 10 } },
    identity: config(lr),
  });

  test('an edited learning rate is refused with the field named, and the run is left as it was', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20, run: described(1e-2, 20) })).run();
    const store = new RunStore(dir);
    const summary = fs.readFileSync(store.summaryPath, 'utf8');
    const optimizer = { name: 'adamw', lr: 1, beta1: 0.9, beta2: 0.98, weightDecay: 1 } as const;
    const edited = options({ runDir: dir, steps: 40, resume: true, run: described(1, 40), optimizer });
    const err = await new Trainer(edited).run().catch((e: unknown) => e);
    expect((err as GrokscopeError).code).toBe('E_CHECKPOINT_MISMATCH');
    expect((err as Error).message).toMatch(/optimizer\.lr: 0\.01 → 1.*manifest\.json edited/);
    expect(fs.readFileSync(store.summaryPath, 'utf8')).toBe(summary);
  });

  test("the caller's identity decides: core reads nothing of the config it records", async () => {
    const dir = path.join(tmp(), 'run');
    const first = { config: { any: 'shape', steps: 20 }, identity: ['a', 1] };
    await new Trainer(options({ runDir: dir, steps: 20, run: first })).run();
    const longer = { config: { any: 'shape', steps: 30 }, identity: ['a', 1] };
    const resumed = await new Trainer(options({ runDir: dir, steps: 30, resume: true, run: longer })).run();
    expect(resumed.status).toBe('completed');
    const manifest = JSON.parse(fs.readFileSync(new RunStore(dir).manifestPath, 'utf8')) as { config: unknown };
    expect(manifest.config).toEqual(first.config);
    const other = { config: { any: 'shape', steps: 40 }, identity: ['a', 2] };
    const run = (o: Partial<TrainerOptions>) => new Trainer(options(o)).run();
    const err = await run({ runDir: dir, steps: 40, resume: true, run: other }).catch((e: unknown) => e);
    expect((err as GrokscopeError).code).toBe('E_CHECKPOINT_MISMATCH');
  });

  test('a changed model size is a named error, not a tensor-library crash', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20 })).run();
    const err = await new Trainer(options({ runDir: dir, steps: 40, resume: true, model: new TinyModel(task, 0, 12) }))
      .run()
      .catch((e: unknown) => e);
    expect((err as GrokscopeError).code).toBe('E_CHECKPOINT_MISMATCH');
    expect((err as Error).message).toMatch(/parameter embed: shape 8×8 → 8×12/);
  });

  test('temp files left by a write that kill -9 cut short are removed on resume', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20 })).run();
    const store = new RunStore(dir);
    const stale = path.join(store.checkpointDir, '.step-000000030.ckpt.12345.tmp');
    fs.writeFileSync(stale, Buffer.alloc(1000));
    fs.writeFileSync(path.join(dir, '.summary.json.999.tmp'), '{');
    await new Trainer(options({ runDir: dir, steps: 30, resume: true })).run();
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('item 9: non-finite values are a NonFiniteError that tells the truth about checkpoints', () => {
  const poisonAt = (step: number): Plugin => ({
    name: 'poison',
    apply: (t) =>
      t.hooks.loss.tap('poison', (terms, ctx) => (ctx.step === step ? { ...terms, nan: tf.scalar(NaN) } : terms)),
  });

  test('before any checkpoint: says none was written', async () => {
    const err = await new Trainer(options({ runDir: path.join(tmp(), 'run'), plugins: [accuracy, poisonAt(5)] }))
      .run()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteError);
    expect((err as Error).message).toMatch(/at step 5\. No checkpoint had been written yet/);
    expect((err as Error).message).not.toMatch(/is kept/);
  });

  test('after one: names its step', async () => {
    const err = await new Trainer(options({ runDir: path.join(tmp(), 'run'), plugins: [accuracy, poisonAt(25)] }))
      .run()
      .catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/at step 25\. The last good checkpoint \(step 20\) is kept/);
  });

  test("a plugin's own NonFiniteError surfaces as is, not wrapped in a PluginError", async () => {
    const thrower: Plugin = {
      name: 'thrower',
      apply: (t) =>
        t.hooks.loss.tap('thrower', (terms, ctx) => {
          if (ctx.step === 3) throw new NonFiniteError(ctx.step, "the thrower's statistic");
          return terms;
        }),
    };
    const err = await new Trainer(options({ plugins: [accuracy, thrower] })).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteError);
    expect((err as Error).message).toMatch(/^the thrower's statistic became NaN or infinite at step 3\. No checkpoint/);
  });
});

describe('item 12: a step cap below the checkpoint', () => {
  test('is refused before anything is written', async () => {
    const dir = path.join(tmp(), 'run');
    const t = new Trainer(options({ runDir: dir, steps: 40 }));
    t.events.on('evaluation', (r) => r.step === 30 && t.interrupt());
    expect((await t.run()).status).toBe('interrupted');
    const store = new RunStore(dir);
    const before = fs.readFileSync(store.metricsPath, 'utf8');
    const err = await new Trainer(options({ runDir: dir, steps: 10, resume: true })).run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/train\.steps: .*already at step 30.*cap of at least 30/);
    expect(fs.readFileSync(store.metricsPath, 'utf8')).toBe(before);
    expect(store.readSummary()).toBeNull();
  });
});

describe('item 13: plugin state is scoped to its plugin', () => {
  const saver = (name: string, value: unknown, seen: unknown[]): Plugin => ({
    name,
    apply() {},
    saveState: () => value,
    loadState: (state) => void seen.push(state),
  });

  test('each plugin reads back only its own state; two stateful plugins of one name are refused', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(
      options({ runDir: dir, steps: 20, plugins: [accuracy, saver('a', { x: 1 }, []), saver('b', [2], [])] }),
    ).run();
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    await new Trainer(
      options({
        runDir: dir,
        steps: 30,
        resume: true,
        plugins: [accuracy, saver('a', { x: 1 }, seenA), saver('b', [2], seenB)],
      }),
    ).run();
    expect(seenA).toEqual([{ x: 1 }]);
    expect(seenB).toEqual([[2]]);
    // Stored as checkpoints always stored plugin state (`state.plugins`, by name), so older ones resume.
    const store = new RunStore(dir);
    const newest = store.checkpoints()[0]!;
    expect(store.loadCheckpoint(newest.path).state['plugins']).toEqual({ a: { x: 1 }, b: [2] });
    // Refused when the trainer is built, before anything runs or is written.
    const twice = options({
      runDir: path.join(tmp(), 'r2'),
      steps: 10,
      plugins: [saver('a', 1, []), saver('a', 2, [])],
    });
    expect(() => new Trainer(twice)).toThrow(/two plugins named "a" both keep checkpoint state/);
  });

  test('a throw in saveState or loadState is a PluginError naming the plugin', async () => {
    const failing = (where: 'saveState' | 'loadState'): Plugin => ({
      name: 'fragile',
      apply() {},
      saveState: () => {
        if (where === 'saveState') throw new Error('cannot save');
        return 1;
      },
      loadState: () => {
        if (where === 'loadState') throw new Error('cannot load');
      },
    });
    const failed = (o: Partial<TrainerOptions>) => new Trainer(options(o)).run().catch((e: unknown) => e);
    const saveErr = await failed({ runDir: path.join(tmp(), 'run'), steps: 20, plugins: [failing('saveState')] });
    expect((saveErr as Error).message).toMatch(/plugin "fragile" failed in hook "saveState": cannot save/);
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20, plugins: [failing('loadState')] })).run();
    const loadErr = await failed({ runDir: dir, steps: 30, resume: true, plugins: [failing('loadState')] });
    expect((loadErr as Error).message).toMatch(/plugin "fragile" failed in hook "loadState": cannot load/);
  });

  test('a plugin whose state the checkpoint lacks is a named error on resume', async () => {
    const dir = path.join(tmp(), 'run');
    await new Trainer(options({ runDir: dir, steps: 20 })).run();
    const err = await new Trainer(
      options({ runDir: dir, steps: 30, resume: true, plugins: [accuracy, saver('late', 1, [])] }),
    )
      .run()
      .catch((e: unknown) => e);
    expect((err as GrokscopeError).code).toBe('E_CHECKPOINT_MISMATCH');
    expect((err as Error).message).toMatch(/no state for plugin "late"/);
  });
});

describe('item 2: a process that lost its lock writes nothing more', () => {
  test('every write checks the guard first', async () => {
    const dir = path.join(tmp(), 'run');
    let held = true;
    const guard = {
      assertHeld() {
        if (!held) throw new GrokscopeError('E_RUN_LOCKED', `${dir} was taken over by another process`);
      },
    };
    const t = new Trainer(options({ runDir: dir, steps: 40, writeGuard: guard }));
    t.events.on('evaluation', (r) => {
      if (r.step === 20) held = false;
    });
    const err = await t.run().catch((e: unknown) => e);
    expect((err as GrokscopeError).code).toBe('E_RUN_LOCKED');
    expect(metricsOf(dir).map((r) => r.step)).toEqual([0, 10, 20]);
    expect(new RunStore(dir).checkpoints().map((c) => c.step)).toEqual([10]);
    expect(new RunStore(dir).readSummary()).toBeNull();
  });
});
