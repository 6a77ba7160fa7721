import { z } from 'zod';

/**
 * One line of `metrics.jsonl`: the measurements of one evaluation (docs/run-format.md
 * § metrics.jsonl). Lines are appended in increasing `step` order. A metric that could not be
 * measured (NaN, infinity) is written as null, which JSON allows, and read as missing.
 */
export const metricsRecordSchema = z.object({
  step: z.int().min(0).meta({ description: 'Optimiser steps taken before this evaluation.' }),
  wallMs: z.number().min(0).meta({ description: 'Milliseconds of training wall time up to this evaluation.' }),
  metrics: z.record(z.string(), z.number().nullable()).meta({
    description:
      'Measurements by metric tag (docs/run-format.md lists the built-in ones); null for a value that is not finite.',
  }),
});

export type MetricsRecordLine = z.infer<typeof metricsRecordSchema>;
