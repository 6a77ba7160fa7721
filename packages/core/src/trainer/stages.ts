/**
 * Named stages of the `evaluate` hook (tapable's `stage` option): probes that measure run
 * first, probes that derive from those measurements next, reporters last.
 */
export const EvalStage = Object.freeze({
  /** Read the model: accuracy, loss, entropy, norms. */
  measure: 0,
  /** Compute from other metrics already in the record. */
  derive: 100,
  /** See the finished record: loggers, live forecasts. */
  report: 200,
});
