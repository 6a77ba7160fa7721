// The presets' owner is core's facts entry, which the browser lab also loads.
export { PRESET_NOTES, PRESETS } from '@grokscope/core/facts';
