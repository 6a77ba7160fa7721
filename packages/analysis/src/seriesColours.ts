// The one owner of which colour draws what, in every chart the project draws (run.svg, the
// report's charts, the study figures, the dashboard): a reader who learns that H̃ is blue in one
// picture finds it blue in the next. Charts name their series with SERIES and take their colour
// scales from here; nothing else states a series colour.

/** The metric series the charts draw, by the name their legends show. */
export const SERIES = Object.freeze({
  entropy: 'H̃',
  trainAccuracy: 'train accuracy',
  testAccuracy: 'test accuracy',
  relativeNorm: '‖θ‖ / max ‖θ‖',
  alignment: 'Fourier alignment',
} as const);

export type SeriesName = (typeof SERIES)[keyof typeof SERIES];

/** Each series' colour (Tableau 10, the colours Vega picks by default, fixed to one series each). */
export const SERIES_COLOURS: Readonly<Record<SeriesName, string>> = Object.freeze({
  H̃: '#4c78a8',
  'train accuracy': '#e45756',
  'test accuracy': '#f58518',
  '‖θ‖ / max ‖θ‖': '#72b7b2',
  'Fourier alignment': '#54a24b',
});

/** Colours of outcomes and groups that recur across figures: grokked or censored, a model family, a phase. */
export const OUTCOME_COLOURS = Object.freeze({
  grokked: '#4c78a8',
  censored: '#e45756',
  transformer: '#4c78a8',
  mlp: '#e45756',
  beforeMemorised: '#bab0ac',
  memorised: '#f58518',
  afterGrokked: '#4c78a8',
  /** The band of per-run minima m_r under H̃* (docs/science.md § Threshold). */
  minimaBand: '#f58518',
} as const);

/** A Vega-Lite colour scale: each name in the domain drawn in the colour at the same place in the range. */
export interface ColourScale {
  readonly domain: string[];
  readonly range: string[];
}

/** The colour scale of these series, in this legend order (only the series drawn: the legend lists no absent one). */
export function seriesColourScale(series: readonly SeriesName[]): ColourScale {
  return { domain: [...series], range: series.map((s) => SERIES_COLOURS[s]) };
}

/** Colours for conditions, taken in the study's condition order, so a condition keeps its colour in every figure. */
const CONDITION_PALETTE = '#4c78a8 #f58518 #54a24b #b279a2 #9d755d #e45756 #72b7b2 #eeca3b #ff9da6 #bab0ac'.split(' ');

/** The colour scale giving each condition of `order` (the study's, in full) its fixed colour; `shown`: the legend's. */
export function conditionColourScale(order: readonly string[], shown: readonly string[] = order): ColourScale {
  const colour = (c: string) => {
    const i = order.indexOf(c);
    return CONDITION_PALETTE[(i < 0 ? order.length : i) % CONDITION_PALETTE.length]!;
  };
  return { domain: [...shown], range: shown.map(colour) };
}
