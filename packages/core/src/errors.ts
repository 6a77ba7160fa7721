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

/** A backend cannot be loaded (e.g. `tensorflow` without tfjs-node installed). */
export class BackendUnavailableError extends GrokscopeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_BACKEND', message, options);
  }
}

/** The loss or a parameter became NaN or infinite. */
export class NonFiniteError extends GrokscopeError {
  readonly step: number;
  constructor(step: number, what: string) {
    super(
      'E_NONFINITE',
      `${what} became NaN or infinite at step ${step}; the last good checkpoint is kept. ` +
        'Lower the learning rate or check custom loss terms, then resume or restart.',
    );
    this.step = step;
  }
}

/** A file of the run store is unreadable or inconsistent. */
export class RunStoreError extends GrokscopeError {
  readonly path: string;
  constructor(path: string, message: string) {
    super('E_STORE', `${path}: ${message}`);
    this.path = path;
  }
}

/** A plugin threw inside a hook: names the plugin and the hook. */
export class PluginError extends GrokscopeError {
  readonly plugin: string;
  readonly hook: string;
  constructor(plugin: string, hook: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super('E_PLUGIN', `plugin "${plugin}" failed in hook "${hook}": ${why}`, { cause });
    this.plugin = plugin;
    this.hook = hook;
  }
}
