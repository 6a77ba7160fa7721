/**
 * The metric tags of the built-in probes, as written in `metrics.jsonl` (docs/run-format.md).
 * The trainer, the CLI, analysis and the dashboard read them from here; another trainer writes
 * the same tags for the same measurements, and then every chart and claim reads its runs.
 */

/** The spectral-entropy probe's default metric prefix: it writes `<prefix>/H`, `<prefix>/Hn`, … */
export const ENTROPY_TAG_PREFIX = 'entropy';

/** Metric tags the built-in probes write and the trainer, the CLI and analysis read. */
export const METRIC_TAGS = Object.freeze({
  /** Train accuracy (accuracy probe). */
  accuracyTrain: 'accuracy/train',
  /** Test accuracy (accuracy probe). */
  accuracyTest: 'accuracy/test',
  /** Train cross-entropy (accuracy probe). */
  lossTrain: 'loss/train',
  /** Test cross-entropy (accuracy probe). */
  lossTest: 'loss/test',
  /** H̃, the normalised spectral entropy (spectral-entropy probe, default prefix `ENTROPY_TAG_PREFIX`). */
  entropyHn: 'entropy/Hn',
  /** Total L2 norm of the parameters (norms probe). */
  normWeights: 'norm/weights',
  /** Mean row norm of `resid_final` over all pairs (norms probe). */
  normRepr: 'norm/repr',
  /** Fourier alignment of the embeddings (fourier probe, cyclic tasks). */
  fourierAlignment: 'fourier/alignment',
  /** Share of the embeddings' energy in their top irreps (irreps probe, symmetric and dihedral tasks). */
  irrepAlignment: 'irreps/alignment',
} as const);
