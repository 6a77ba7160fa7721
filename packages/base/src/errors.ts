/**
 * Errors that say what failed and how to fix it. Each carries a stable `code` so the CLI can
 * choose an exit status and tests can match on the kind rather than the wording.
 */
export class GrokscopeError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value is wrong: names the field, the value and what is allowed. */
export class ConfigError extends GrokscopeError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('E_CONFIG', `${field}: ${message}`);
    this.field = field;
  }
}
