// The platform-free entry (`@grokscope/analysis/records`, and `@grokscope/analysis` under the
// `browser` condition): everything that analyses records and imports no platform API, so it
// bundles for a browser or a worker. Runs come in through `parseRun` (files' text, or parsed
// objects); reports come back as strings (Markdown, HTML, SVG, JSON). The Node entry, index.ts,
// adds what reads and writes files.
export {
  analyzeRuns,
  CENSORING_RULE,
  UNFINISHED_RULE,
  type AnalysisDocument,
  type AnalyzeOptions,
  type Comparison,
  type ConditionReport,
  type RunRow,
  type UnfinishedRun,
} from './analyzeRuns';
export { bootstrapMeanDiffCI, type BootstrapOptions } from './bootstrapMeanDiffCI';
export {
  forecastChartSpec,
  renderForecastChart,
  renderRunChart,
  renderSvg,
  runChartSpec,
  type ChartEvents,
} from './charts';
export { cohensD } from './cohensD';
export { mean, quantile, spread, variance, type Spread } from './describe';
export { crossingStep, entropySeries, runEvents, type EventOptions, type RunEvents } from './events';
export {
  analyzeForecast,
  forecastAt,
  forecastObservations,
  onlineForecast,
  type ForecastAnalysis,
  type ForecastPoint,
  type ForecastScore,
  type Observation,
} from './forecast';
export { mannWhitneyU, type MannWhitneyMethod } from './mannWhitneyU';
export { fitPowerLaw, formatPowerLaw, powerLaw, type PowerLawFit } from './powerLaw';
export { renderMarkdown } from './renderMarkdown';
export {
  parseMetricsJsonl,
  parseRun,
  parseRunRecord,
  RunReadError,
  type RunData,
  type RunFiles,
  type RunManifest,
  type RunRecord,
  type RunSummary,
} from './parseRun';
export { dedupeRuns, runLabels, runState, type DuplicateRun, type RunState } from './runSet';
export { runStory, type RunStory, type RunStoryOptions } from './runStory';
export { PAPER_THRESHOLD } from './threshold';
export type { RunChartOptions } from './charts';
export { seededRandom } from './seededRandom';
export {
  analyzeThreshold,
  runMinimum,
  thresholdFrom,
  type CrossingResult,
  type RunThresholdInput,
  type ThresholdAnalysis,
  type ThresholdRule,
} from './threshold';
export { twoPhases, type TwoPhaseResult } from './twoPhases';
export { welchTTest } from './welchTTest';
export {
  abelianSpec,
  alignedEntropySpec,
  alignmentSpec,
  forecastSpec,
  grokTimesSpec,
  mlpSpec,
  normMatchedSpec,
  renderStudyFigures,
  studyFigures,
  twoPhasesSpec,
  type FigureSpec,
  type RenderedStudyFigure,
  type StudyChartInput,
  type StudyFigure,
  type StudyFigureId,
} from './studyCharts';
export {
  escapeHtml,
  formatDuration,
  renderStudyHtml,
  renderStudyMarkdown,
  STUDY_REPORT_SCHEMA_VERSION,
  studyReportJson,
  type StudyInfo,
  type StudyReportFigure,
  type StudyReportInput,
  type StudyReportJson,
} from './studyReport';
export { syntheticStudy, type SyntheticStudy, type SyntheticStudyOptions } from './syntheticStudy';
export { evaluateClaims } from './claims/evaluateClaims';
export { renderClaimsMarkdown } from './claims/renderClaimsMarkdown';
export { CLAIM_IDS, CLAIM_MODULES, CLAIM_RULES, claimRules, CLAIMS, VERDICT_THRESHOLDS } from './claims/claimRegistry';
export type {
  ClaimContext,
  ClaimModule,
  ClaimOptions,
  ClaimOutcome,
  ClaimRow,
  Group,
  Member,
  StudyRoles,
} from './claims/claimModule';
export {
  CENSORED_RUNS_RULE,
  DEFAULT_RULE_PARAMETERS,
  thresholdRuleText,
  type ClaimId,
  type Decision,
  type RuleParameters,
  type Verdict,
} from './verdictRules';
export { averageRanks, spearman } from './spearman';
export { plateauCriterion, PLATEAU_MAX_SHARE, type PlateauResult } from './plateau';
export {
  compareSpec,
  entropyBandLayer,
  liveForecastSpec,
  liveRunView,
  MAX_CHART_POINTS,
  runAlignmentSpec,
  studyLaw,
  thin,
  type CompareOptions,
  type CompareRun,
  type LawRun,
  type LiveRun,
  type LiveRunView,
  type StudyLaw,
} from './dashboardSpecs';
