import { ConfigError } from '@grokscope/base';

/** An invalid or unreadable Cayley table; `field` is the file (or the name of an in-memory table). */
export class CayleyTableError extends ConfigError {}

/**
 * The largest Cayley table file read. A group too big for this (a .csv of S7 with short labels
 * is ~130 MB) is far past what trains here, and a path that names a device or a huge file must
 * fail at once instead of filling memory (/dev/zero would be read until the process dies).
 */
export const MAX_CAYLEY_BYTES = 32 * 1024 * 1024;
