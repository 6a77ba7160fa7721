import { z } from 'zod';
import { metricsRecordSchema } from './metricsRecordSchema';
import { runManifestSchema } from './runManifestSchema';
import { runSummarySchema } from './runSummarySchema';
import { RUN_FORMAT } from './runFormat';

/** Where the generated schemas are published: the package's `schemas/` folder, as in the repository. */
const BASE_URL = 'https://github.com/grokscope/grokscope/blob/main/packages/base/schemas/';

/** The run files' schemas by the file name each is shipped as (`packages/base/schemas/`). */
const FILES = {
  'manifest.schema.json': { schema: runManifestSchema, title: 'grokscope run manifest (manifest.json)' },
  'metrics-record.schema.json': {
    schema: metricsRecordSchema,
    title: 'grokscope metrics record (one line of metrics.jsonl)',
  },
  'summary.schema.json': { schema: runSummarySchema, title: 'grokscope run summary (summary.json)' },
} as const;

/**
 * JSON Schemas (draft 2020-12) of the three run files, generated from the zod schemas the readers
 * validate with, so the published contract and the code cannot drift apart. Written to
 * `packages/base/schemas/` by `npm run schemas -w @grokscope/base`; a test fails when the files
 * there differ from these.
 */
export function runJsonSchemas(): Record<keyof typeof FILES, Record<string, unknown>> {
  const out = {} as Record<keyof typeof FILES, Record<string, unknown>>;
  for (const [file, { schema, title }] of Object.entries(FILES) as [
    keyof typeof FILES,
    (typeof FILES)[keyof typeof FILES],
  ][]) {
    const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
    const { $schema, ...rest } = generated;
    out[file] = {
      $schema,
      $id: `${BASE_URL}${file}`,
      title,
      description: `Run format ${RUN_FORMAT}; see docs/run-format.md.`,
      ...rest,
    };
  }
  return out;
}
