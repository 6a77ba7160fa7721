/**
 * `@grokscope/lab` in Node: the local server of the browser lab (`grokscope lab`) and the folder it
 * serves. The lab itself is that static folder, `dist/site`, built from src/page (docs/lab.md).
 */
export { DEFAULT_LAB_PORT, LAB_SITE_DIR, startLab, type LabServer, type LabServerOptions } from './serveLab';
