/**
 * The one owner of the version that every JSON document and event the CLI prints (`--json`)
 * carries as `schemaVersion`. Their shapes are published as JSON Schema files in the package's
 * `schemas/` folder (docs/scripting.md), each stating this version as a `const`;
 * `packages/cli/test/jsonSchemas.test.ts` checks real output against them and that they agree
 * with this number. Bump it on any change that would break a reader (a field removed, renamed
 * or retyped); adding a field is not such a change.
 */
export const JSON_SCHEMA_VERSION = 1;

/** `{ event, schemaVersion, ...fields }`: an event as printed, one per line. */
export function jsonEvent(event: string, fields: object = {}): string {
  return JSON.stringify({ event, schemaVersion: JSON_SCHEMA_VERSION, ...fields });
}

/**
 * A whole JSON document (`analyze --json`), `schemaVersion` first, on one line like every event:
 * scripts read `--json` output a line at a time (`| tail -1`, `jq -c`); `jq .` pretty-prints it.
 */
export function jsonDocument(doc: object): string {
  return JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, ...doc });
}
