import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, type MetricsRecord, readMetrics } from '@grokscope/core';

// The norm-matched control's one use of a file system; referenceRun.browser.ts is its twin for
// bundlers (package.json's "browser" field), where a reference comes as records instead.

/** The records of a reference run given as a run directory or its metrics.jsonl. */
export function readReferenceRun(reference: string): { where: string; records: readonly MetricsRecord[] } {
  const file = reference.endsWith('.jsonl') ? reference : path.join(reference, 'metrics.jsonl');
  if (!fs.existsSync(file))
    throw new ConfigError(
      'interventions.norm-matched.reference',
      `${file} does not exist; run the reference (intervention) run first`,
    );
  return { where: file, records: readMetrics(file).records };
}
