// The seeded generator lives in @grokscope/base (tasks uses it without TensorFlow.js); core
// re-exports it so `@grokscope/core/rng` and `Rng` from core keep working.
export { Rng, type RngState } from '@grokscope/base';
