/**
 * Accuracies that count as the events of a run: memorised (train accuracy) and grokked (test
 * accuracy). The trainer's `summary.json`, the config's defaults, `stopAfterGrokked`, the
 * forecast command and analysis use these (docs/science.md § Events).
 */
export const DEFAULT_THRESHOLDS = Object.freeze({ memorised: 0.99, grokked: 0.95 } as const);
