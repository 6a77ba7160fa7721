/**
 * `@grokscope/lab` in Node: the local server of the browser lab (`grokscope lab`), the folder it
 * serves, and the platform-free pieces the page uses (its run config, the zip writer). The page
 * itself is the static folder `dist/site` (docs/lab.md).
 */
export { DEFAULT_LAB_PORT, LAB_SITE_DIR, startLab, type LabServer, type LabServerOptions } from './serveLab';
export { conditionOf, defaultControls, labConfig, QUICK, type LabControls } from './shared/labConfig';
export type { FromWorker, LabEnd, ToWorker } from './shared/protocol';
export { crc32, zip, type ZipEntry } from './shared/zip';
