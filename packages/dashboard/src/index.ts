export { startDashboard, DEFAULT_PORT, type Dashboard, type DashboardOptions } from './startDashboard';
export { MetricsTail, type TailUpdate } from './metricsTail';
export { RunIndex, type IndexChange, type StudyClaims } from './runIndex';
export { RunWatch, type LiveCheck, type RunRow, type RunStatus } from './runWatch';
export { runDetail, thin, MAX_CHART_POINTS, type RunDetail } from './runDetail';
export { servedFile } from './servedFile';
export { StudyLaws, type StudyLaw } from './studyLaw';
export { hostHeaderName, isLoopback } from './loopback';
