/**
 * The run directory's format version, written as `manifest.format` (docs/run-format.md § Versions).
 * Within a version, fields are only added, and readers ignore fields they do not know. The
 * number goes up when a field changes meaning or a new field becomes required. A reader reads
 * every version up to its own and refuses a newer one by name; a writer writes its newest.
 * A manifest without `format` was written by grokscope before the field existed: version 1.
 */
export const RUN_FORMAT_VERSION = 1;
export const RUN_FORMAT = `grokscope-run/${RUN_FORMAT_VERSION}`;
/** What a `format` value looks like: `grokscope-run/<version>`, the version a positive integer. */
export const RUN_FORMAT_PATTERN = '^grokscope-run/[1-9][0-9]*$';

/** The name grokscope's own trainer writes as `manifest.trainer.name`. */
export const GROKSCOPE_TRAINER = 'grokscope';

/**
 * Why a manifest's `format` cannot be read by this version of grokscope, or null when it can
 * (absent, or a version up to RUN_FORMAT_VERSION). A malformed value is the schema's to report.
 */
export function unreadableFormat(format: unknown): string | null {
  if (typeof format !== 'string' || !new RegExp(RUN_FORMAT_PATTERN).test(format)) return null;
  const version = Number(format.slice(format.indexOf('/') + 1));
  if (version <= RUN_FORMAT_VERSION) return null;
  return `"format" is ${format}, newer than the ${RUN_FORMAT} this grokscope reads; upgrade grokscope to read this run`;
}
