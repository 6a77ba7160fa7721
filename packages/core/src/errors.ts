// The root class and ConfigError live in @grokscope/base, so tasks (which must not install
// TensorFlow.js) throws the very classes core and the CLI test with `instanceof`.
import { ConfigError, GrokscopeError } from '@grokscope/base';

export { ConfigError, GrokscopeError };

/**
 * A plugin asked the model for a tap it does not have: in its `forward` request (a tap or a
 * transform) or from `Evaluation.forward`. Names the tap, the model and the taps it has.
 */
export class UnknownTapError extends ConfigError {
  readonly tap: string;
  readonly model: string;
  readonly available: readonly string[];
  constructor(tap: string, model: string, available: readonly string[], where: string) {
    super(
      'tap',
      `the ${model} model has no tap "${tap}" (asked for ${where}); its taps: ${available.join(', ') || '(none)'}. Check tap names against trainer.model.tapNames in setup`,
    );
    this.tap = tap;
    this.model = model;
    this.available = [...available];
  }
}

/** A backend cannot be loaded (e.g. `tensorflow` without tfjs-node installed). */
export class BackendUnavailableError extends GrokscopeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_BACKEND', message, options);
  }
}

/**
 * The loss, a parameter or a value inside a plugin's computation became NaN or infinite. The
 * message says what is true of the checkpoints: the step of the last good one, or that none was
 * written yet (`lastCheckpoint` null); undefined while the trainer has not filled it in.
 */
export class NonFiniteError extends GrokscopeError {
  readonly step: number;
  readonly what: string;
  readonly lastCheckpoint: number | null | undefined;
  constructor(step: number, what: string, lastCheckpoint?: number | null) {
    const kept =
      lastCheckpoint === undefined
        ? ''
        : lastCheckpoint === null
          ? ' No checkpoint had been written yet, so a rerun starts from step 0.'
          : ` The last good checkpoint (step ${lastCheckpoint}) is kept.`;
    super(
      'E_NONFINITE',
      `${what} became NaN or infinite at step ${step}.${kept} Lower the learning rate or check custom loss terms, then resume or restart.`,
    );
    this.step = step;
    this.what = what;
    this.lastCheckpoint = lastCheckpoint;
  }
}

/**
 * Writing a file of the run failed (a full disk, a read-only volume). Nothing already written is
 * lost: the file being replaced keeps its old content, a log keeps every complete line.
 */
export class StorageError extends GrokscopeError {
  readonly path: string;
  readonly errno: string;
  constructor(path: string, errno: string, detail: string, options?: { cause?: unknown }) {
    const hint =
      errno === 'ENOSPC' || errno === 'EDQUOT'
        ? 'the disk is full: free space, then run the same command again to resume from the last good checkpoint'
        : errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM'
          ? 'the location is not writable: choose another --out or fix its permissions'
          : 'check the disk, then run the same command again to resume';
    super('E_STORAGE', `cannot write ${path} (${errno}: ${detail.replace(/^[A-Z]+: /, '')}); ${hint}`, options);
    this.path = path;
    this.errno = errno;
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
