import { backendThreads } from '../backend/wasmThreads';
import { RunStore } from '../store/runStore';
import type { TrainerStore } from '../store/trainerStore';
import { Trainer as PortableTrainer, type TrainerOptions } from './trainer';

/**
 * The trainer of the Node entry: `runDir` opens a durable `RunStore` (fsync, atomic renames,
 * checksummed checkpoints) guarded by `writeGuard`, and the manifest records Node's version and
 * the wasm backend's threads. Everything else is the portable trainer (`@grokscope/core/browser`).
 */
export class Trainer extends PortableTrainer {
  protected override openStore(options: TrainerOptions): TrainerStore | undefined {
    if (options.store || options.runDir === undefined) return super.openStore(options);
    return new RunStore(options.runDir, options.writeGuard);
  }

  protected override runtime(): { threads: number; versions: Record<string, string> } {
    return { threads: backendThreads(), versions: { node: process.version } };
  }
}
