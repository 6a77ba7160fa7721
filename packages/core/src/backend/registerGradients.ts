/**
 * tfjs-core's CommonJS bundle registers no gradient functions (only its ES build does, through
 * a side-effect module CommonJS cannot load). The `@tensorflow/tfjs` bundle registers all of
 * them into the registry every copy shares (a global), so loading it once is enough.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@tensorflow/tfjs');
export {};
