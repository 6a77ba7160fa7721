import { z } from 'zod';
import { GROKSCOPE_TRAINER, RUN_FORMAT_PATTERN, unreadableFormat } from './runFormat';
import { schemaProblems } from './schemaProblems';

/**
 * `manifest.json`, written once when a run starts (docs/run-format.md § manifest.json). Two
 * shapes, told apart by `trainer.name`: grokscope's own runs, which record the package versions
 * and the backend (and may predate `format` and `trainer`), and runs of any other trainer, which
 * must name the format and the trainer and may leave the rest out. Both keep fields they do not
 * define. `config.condition`, when a string, names the run's condition in a study.
 */
const format = z
  .string()
  .regex(new RegExp(RUN_FORMAT_PATTERN))
  .meta({ description: 'The run format and its version, e.g. grokscope-run/1.' });
const config = z.record(z.string(), z.unknown()).meta({
  description:
    'The run configuration: any JSON object. A string config.condition names the condition in a study (default baseline).',
});
const seed = z.int().meta({ description: 'The seed the run was trained with.' });
const createdAt = z.string().meta({ description: 'When the run started, ISO 8601.' });

export const trainerSchema = z.object({
  name: z.string().min(1).meta({ description: 'The program that trained the run.' }),
  version: z.string().min(1).meta({ description: 'Its version.' }),
});

/** The package whose version a grokscope manifest records. */
const GROKSCOPE_CORE = '@grokscope/core';

/** A manifest written by grokscope's trainer. */
export const grokscopeManifestSchema = z.looseObject({
  format: format.optional(),
  trainer: z.object({ name: z.literal(GROKSCOPE_TRAINER), version: z.string().min(1) }).optional(),
  config,
  seed,
  backend: z.string().meta({ description: 'The tensor backend (wasm, cpu, tensorflow).' }),
  threads: z.int().min(1).optional().meta({ description: 'Threads the backend ran with when the run started.' }),
  workers: z.int().min(1).optional().meta({
    description: "Threads computing a step's shards when the run started (the shard count is in its config).",
  }),
  versions: z
    .looseObject({ '@grokscope/core': z.string() })
    .catchall(z.string())
    .meta({ description: 'Versions of the packages that trained the run, by package name.' }),
  createdAt,
});

/** A manifest written by another trainer (a PyTorch loop through python/grokscope_writer.py, JAX, …). */
export const foreignManifestSchema = z.looseObject({
  format,
  trainer: trainerSchema.extend({
    name: z.string().regex(new RegExp(`^(?!${GROKSCOPE_TRAINER}$).+`), {
      message: `another trainer's name (not "${GROKSCOPE_TRAINER}")`,
    }),
  }),
  config,
  seed,
  backend: z.string().optional(),
  versions: z.record(z.string(), z.string()).optional(),
  createdAt: createdAt.optional(),
});

export const runManifestSchema = z.union([grokscopeManifestSchema, foreignManifestSchema]);

export type GrokscopeManifest = z.infer<typeof grokscopeManifestSchema>;
export type ForeignManifest = z.infer<typeof foreignManifestSchema>;
export type RunManifest = z.infer<typeof runManifestSchema>;

/** Whether a manifest (already valid) was written by grokscope's own trainer. */
export function isGrokscopeManifest(manifest: RunManifest): manifest is GrokscopeManifest {
  return manifest.trainer === undefined || manifest.trainer.name === GROKSCOPE_TRAINER;
}

/**
 * What keeps a parsed manifest.json from being a run manifest, one line per problem naming the
 * field; empty when it is one. A manifest is checked against the shape its `trainer` claims
 * ("grokscope", or no trainer but grokscope's core version: grokscope's; else another trainer's),
 * and a newer `format` than this grokscope reads is named.
 */
export function runManifestProblems(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) return ['it is not a JSON object'];
  const newer = unreadableFormat((manifest as { format?: unknown }).format);
  if (newer !== null) return [newer];
  const m = manifest as { trainer?: { name?: unknown }; versions?: Record<string, unknown> };
  // Without a trainer, only grokscope's own older runs are read (they record their core version);
  // anything else is told what another trainer must write, not what grokscope writes.
  const ours =
    m.trainer === undefined
      ? typeof m.versions === 'object' && m.versions !== null && m.versions[GROKSCOPE_CORE] !== undefined
      : typeof m.trainer === 'object' && m.trainer !== null && m.trainer.name === GROKSCOPE_TRAINER;
  return schemaProblems(ours ? grokscopeManifestSchema : foreignManifestSchema, manifest);
}
