import { GrokscopeError, RunStore } from '@grokscope/core';
import {
  GROKSCOPE_TRAINER,
  grokscopeManifestSchema,
  isGrokscopeManifest,
  runManifestProblems,
  type RunManifest,
  schemaProblems,
} from '@grokscope/base';

/** What the CLI needs of a run's manifest.json: the config it was started with, and its seed. */
export interface StoredRun {
  readonly config: Record<string, unknown>;
  readonly seed: number;
}

/**
 * The manifest of the run in `store`, for continuing or reporting it: refused with E_RUN_DAMAGED
 * unless it is a run manifest (the rule every reader applies, `@grokscope/base`), and with
 * E_FOREIGN_RUN when another trainer wrote it — grokscope reads such runs (analyze, export,
 * forecast, the dashboard) but has no checkpoint of theirs to resume from. Without the first
 * check, a manifest that lost its config compared equal to any config (so the run was resumed and
 * finished into a folder every reader refuses), and a manifest of `null` crashed with a TypeError.
 */
export function readRunManifest(store: RunStore): StoredRun {
  const m: unknown = store.readManifest();
  const trainer = isObject(m) ? (m as { trainer?: unknown }).trainer : undefined;
  const foreign = isObject(trainer) && (trainer as { name?: unknown }).name !== GROKSCOPE_TRAINER;
  // In the run folder `train` writes to, a manifest that names no other trainer is grokscope's: its
  // problems are told against grokscope's shape, whatever the file lost.
  const problems = foreign
    ? runManifestProblems(m)
    : isObject(m)
      ? schemaProblems(grokscopeManifestSchema, m)
      : ['it is not a JSON object'];
  if (problems.length > 0) {
    throw new GrokscopeError(
      'E_RUN_DAMAGED',
      `${store.manifestPath} is damaged (${problems.join('; ')}), so the run cannot be resumed or reported; ` +
        'restore manifest.json if you have a copy, or delete the directory (or choose another --out) to start over',
    );
  }
  const manifest = m as RunManifest;
  if (!isGrokscopeManifest(manifest)) {
    throw new GrokscopeError(
      'E_FOREIGN_RUN',
      `${store.dir} was trained by ${manifest.trainer.name} ${manifest.trainer.version}, not by grokscope, so grokscope cannot resume ` +
        'or continue it (it holds no grokscope checkpoint, and the checkpoint identity check does not apply); ' +
        'grokscope analyze, export, forecast and dashboard read it as it is. Choose another --out to train with grokscope',
    );
  }
  return manifest;
}

function isObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
