export { analyzeCommand, parseThresholdRule, type AnalyzeCommandOptions } from './analyzeCommand';
export { buildTrainer, packageVersions, planRun, runIdentity, type RunPlan } from './buildTrainer';
export { KINDS, runConfigSchema, type PluginRef, type RunConfig } from './configSchema';
export { emitScheduler, K8S_RESULTS_DIR } from './emitScheduler';
export { expandSweep, parseShard, readSweep, shardRuns, type PlannedRun, type SweepSpec } from './expandSweep';
export { runOrder } from './runOrder';
export { forecastCommand, type ForecastCommandOptions } from './forecastCommand';
export {
  deepMerge,
  loadConfig,
  mergeConfig,
  parseValue,
  presetConfig,
  readConfigFile,
  setConfigPath,
  setPath,
  type ConfigSources,
} from './loadConfig';
export { PRESETS } from './presets';
export { formatSeconds, reportProgress, type ProgressMode, type ProgressOptions } from './progressReporter';
export { resolvePlugins } from './resolvePlugins';
export { acquireRunLock, LOCK_FILE, lockHolder, type RunLock } from './runLock';
export { finishedSummary, sweepCommand, type SweepOptions } from './sweepCommand';
export { describeConfig, EXIT, finalLine, inspectRunDir, trainCommand, type TrainOptions } from './trainCommand';
export { formatPath, validateConfig } from './validateConfig';
