import { GrokscopeError } from '../errors';
import type { OptimizerConfig } from '../optim/optimizer';
import type { PluginState } from '../plugin';
import type { RngState } from '@grokscope/base';
import type { CheckpointData, StoredTensor } from './checkpointFile';
import { diffConfigs } from './diffConfigs';

/** What a checkpoint records of the run that wrote it (`state.run`), checked on resume. */
export interface RunIdentity {
  /**
   * The caller's identity of the run (`RunDescription.identity`; null when it gave none). Stored
   * as `config` because it was the config less `train.steps` when core computed it: the CLI
   * still gives exactly that, so checkpoints written before compare equal.
   */
  readonly config: unknown;
  readonly optimizer: OptimizerConfig | { readonly name: string };
  readonly evalEvery: number;
  readonly batchSize: number | null;
  /** Shards of each step's batch, when more than one (absent: one, as before shards existed). */
  readonly shards?: number;
  readonly seed: number;
  readonly shapes: Record<string, number[]>;
}

/** A run's whole state at a step, typed: what the trainer saves and restores (docs/reliability.md). */
export interface RunCheckpoint {
  readonly step: number;
  readonly wallMs: number;
  /** Absent in checkpoints written before runs recorded it. */
  readonly identity?: RunIdentity;
  readonly optimizer: {
    readonly name: string;
    readonly iterations: number;
    /** The learning rate in force (a `beforeStep` schedule may have changed it); absent in older checkpoints. */
    readonly learningRate?: number;
  };
  readonly batchRng: RngState;
  /** Each plugin's own JSON state, by plugin name. */
  readonly plugins: Readonly<Record<string, PluginState>>;
  /** Parameters by the model's names. */
  readonly params: ReadonlyMap<string, StoredTensor>;
  /** Optimiser slots by the optimiser's names. */
  readonly slots: ReadonlyMap<string, StoredTensor>;
}

const PARAM = 'param/';
const SLOT = 'optim/';

/**
 * The layout of a run inside a checkpoint file (`checkpointFile.ts` is the container): tensors
 * `param/<name>` and `optim/<slot>`, JSON `state.run`, `state.optimizer`, `state.batchRng`,
 * `state.plugins`. The one place that knows it; every checkpoint written since the format began
 * decodes (older ones lack `state.run` and the learning rate, which are optional here).
 */
export const runCheckpointCodec = Object.freeze({
  encode(c: RunCheckpoint): CheckpointData {
    const tensors = new Map<string, StoredTensor>();
    for (const [name, t] of c.params) tensors.set(PARAM + name, t);
    for (const [name, t] of c.slots) tensors.set(SLOT + name, t);
    return {
      step: c.step,
      wallMs: c.wallMs,
      state: { run: c.identity, optimizer: c.optimizer, batchRng: c.batchRng, plugins: c.plugins },
      tensors,
    };
  },

  /** The run's state from a verified checkpoint file's contents; a layout it cannot read is `E_CHECKPOINT` naming `file`. */
  decode(data: CheckpointData, file: string): RunCheckpoint {
    const bad = (what: string) =>
      new GrokscopeError(
        'E_CHECKPOINT',
        `${file}: ${what}; it was not written by this version of grokscope's trainer. Resume from another checkpoint or start the run again`,
      );
    const s = data.state;
    const opt = s['optimizer'] as RunCheckpoint['optimizer'] | undefined;
    if (!opt || typeof opt.iterations !== 'number' || typeof opt.name !== 'string')
      throw bad('state.optimizer (name, iterations) is missing');
    if (!s['batchRng']) throw bad('state.batchRng is missing');
    const params = new Map<string, StoredTensor>();
    const slots = new Map<string, StoredTensor>();
    for (const [k, t] of data.tensors) {
      if (k.startsWith(PARAM)) params.set(k.slice(PARAM.length), t);
      else if (k.startsWith(SLOT)) slots.set(k.slice(SLOT.length), t);
    }
    return {
      step: data.step,
      wallMs: data.wallMs,
      identity: s['run'] as RunIdentity | undefined,
      optimizer: opt,
      batchRng: s['batchRng'] as RngState,
      plugins: (s['plugins'] ?? {}) as Record<string, PluginState>,
      params,
      slots,
    };
  },

  /**
   * Refuses a checkpoint written by another run (an edited manifest, another model size, another
   * optimiser) with `E_CHECKPOINT_MISMATCH`, naming each difference once, as the config spells it.
   */
  check(c: RunCheckpoint, mine: RunIdentity, optimizerName: string, file: string): void {
    const differences: string[] = [];
    // A checkpoint without a shard count was cut into one shard (it predates shards, or had one).
    const shards = (i: RunIdentity) => ({ ...i, shards: i.shards ?? 1 });
    if (c.identity)
      differences.push(...diffConfigs(shards(c.identity), shards(mine)).filter((d) => !d.startsWith('shapes')));
    for (const [name, shape] of Object.entries(mine.shapes)) {
      const t = c.params.get(name);
      if (!t) differences.push(`parameter ${name}: missing from the checkpoint`);
      else if (t.shape.join('×') !== shape.join('×'))
        differences.push(`parameter ${name}: shape ${t.shape.join('×')} → ${shape.join('×')}`);
    }
    if (c.optimizer.name !== optimizerName) differences.push(`optimizer: ${c.optimizer.name} → ${optimizerName}`);
    if (differences.length === 0) return;
    // The trainer's own settings come from the config when there is one: name each change once, as the config spells it.
    const listed = [...new Set(differences)].filter((d) => !differences.includes(`config.${d}`));
    throw new GrokscopeError(
      'E_CHECKPOINT_MISMATCH',
      `${file} was written by a run with another configuration (${listed.slice(0, 5).join('; ')}${listed.length > 5 ? '; …' : ''}). ` +
        'Was manifest.json edited, or the config changed? Resume with the configuration the run was started with, or start a new run in another directory',
    );
  },
});
