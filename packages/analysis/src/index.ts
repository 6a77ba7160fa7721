// The Node entry: the platform-free entry (records.ts) plus what reads run directories and
// writes reports. A browser bundle resolves `@grokscope/analysis` to records.ts instead
// (package.json `exports`, `browser` condition).
export * from './records';
export { findRunDirs, readRun, type FindRunDirsOptions } from './runReader';
export { outputNames } from './outputNames';
export { writeReport } from './writeReport';
export { writeStudyReport } from './writeStudyReport';
