export { ConfigError, GrokscopeError } from './errors';
export { DEFAULT_THRESHOLDS } from './eventThresholds';
export { metricsRecordSchema, type MetricsRecordLine } from './metricsRecordSchema';
export { ENTROPY_TAG_PREFIX, METRIC_TAGS } from './metricTags';
export { Rng, type RngState } from './rng';
export { GROKSCOPE_TRAINER, RUN_FORMAT, RUN_FORMAT_PATTERN, RUN_FORMAT_VERSION, unreadableFormat } from './runFormat';
export { runJsonSchemas } from './runJsonSchemas';
export {
  foreignManifestSchema,
  type ForeignManifest,
  grokscopeManifestSchema,
  type GrokscopeManifest,
  isGrokscopeManifest,
  runManifestProblems,
  runManifestSchema,
  type RunManifest,
  trainerSchema,
} from './runManifestSchema';
export { FINISHED_STATUSES, isFinished, RUN_STATUSES, type RunStatus } from './runStatus';
export { runSummarySchema, type RunSummaryFile } from './runSummarySchema';
export { schemaProblems } from './schemaProblems';
export {
  type ConfigProblem,
  describeIssue,
  didYouMean,
  editDistance,
  formatPath,
  type IssueContext,
  isKindDescriptor,
  type KindDescriptor,
  KindRegistry,
  largestInteger,
  parseConfig,
  showValue,
  TYPE_NAMES,
  valueAt,
} from './kinds';
