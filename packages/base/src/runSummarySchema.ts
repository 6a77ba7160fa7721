import { z } from 'zod';
import { RUN_STATUSES } from './runStatus';

/**
 * `summary.json`, written when a run ends (docs/run-format.md § summary.json). Its absence
 * means the run is still training, or was killed.
 */
export const runSummarySchema = z.looseObject({
  status: z
    .enum(RUN_STATUSES)
    .meta({ description: 'completed (at the step cap), stopped (by a stop rule), interrupted or failed.' }),
  steps: z.int().min(0).meta({ description: 'Optimiser steps taken.' }),
  reason: z.string().optional().meta({ description: 'Why the run stopped, was interrupted or failed.' }),
  events: z
    .object({ memorised: z.int().nullable(), grokked: z.int().nullable() })
    .optional()
    .meta({ description: 'The first evaluated steps at which the run memorised and grokked; null if it did not.' }),
  wallMs: z.number().min(0).optional().meta({ description: 'Milliseconds of training wall time.' }),
});

export type RunSummaryFile = z.infer<typeof runSummarySchema>;
