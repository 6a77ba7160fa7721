import { ConfigError, type MetricsRecord } from '@grokscope/core';

// The browser's twin of referenceRun.ts (package.json's "browser" field swaps it in): no files.

export function readReferenceRun(reference: string): { where: string; records: readonly MetricsRecord[] } {
  throw new ConfigError(
    'interventions.norm-matched.reference',
    `${reference} is a file, and a browser reads no files; give the reference run's records instead`,
  );
}
