export { buildTrainer, packageVersions } from './buildTrainer';
export { runConfigSchema, type PluginRef, type RunConfig } from './configSchema';
export { deepMerge, loadConfig, presetConfig, readConfigFile, setPath, type ConfigSources } from './loadConfig';
export { PRESETS } from './presets';
export { formatSeconds, reportProgress, type ProgressMode } from './progressReporter';
export { resolvePlugins } from './resolvePlugins';
export { decideResume, EXIT, trainCommand, type TrainOptions } from './trainCommand';
export { validateConfig } from './validateConfig';
