/**
 * tfjs-core's CommonJS build registers no gradient functions (only its ES build does, through a
 * side-effect module CommonJS cannot load). `vendor/tfjsGradients.js` is that module bundled to
 * CommonJS by `scripts/bundleTfjsGradients.js`: it registers every tfjs-core gradient into the
 * registry every copy of tfjs-core shares (a global), so core needs tfjs-core and the backends
 * only, not the whole `@tensorflow/tfjs` bundle (docs/architecture.md § Design notes).
 * tfjs-core is loaded first so that the engine the bundle finds is the one core uses.
 */
import { registerTileGradient } from './tileGradient';

require('@tensorflow/tfjs-core');
// The same relative path from src/backend/ (tests) and dist/backend/ (the package).
require('../../vendor/tfjsGradients.js');
// After the bundle, so that it replaces tfjs-core's Tile gradient (a Slice per repetition).
registerTileGradient();
