// Labelled rules (the events t_mem, t_cross, t_grok; H̃*; the actual t_grok of a forecast) as
// Vega-Lite layers whose labels sit where no data line can run: a vertical rule's label in a row
// above the plot, a horizontal rule's in the margin right of the plot. Inside the plot a label
// would meet whatever curve the run happens to draw there; outside it only meets other labels,
// and placeLabels keeps those apart.
import { placeLabels, textSize, type Box } from './placeLabels';

/** A rule at `value` on the chart's scale, with its label. */
export interface LabelledRule {
  readonly value: number;
  readonly label: string;
}

export interface RuleStyle {
  /** The data field the chart's own layers put on this axis (so the rules share its scale and title). */
  readonly field: string;
  readonly ruleColour: string;
  readonly labelColour: string;
  readonly strokeDash: readonly number[];
  readonly fontSize?: number;
  readonly bold?: boolean;
}

/** A scale's domain: [low, high]. */
export type Domain = readonly [number, number];

/** Pixels between a rule and its label, and between the plot's top edge and the first label row. */
const GAP = 3;
const ROW_GAP = 4;

const textMark = (s: RuleStyle, align: string, baseline: string) => ({
  type: 'text',
  align,
  baseline,
  fontSize: s.fontSize ?? 11,
  color: s.labelColour,
  ...(s.bold ? { fontWeight: 'bold' } : {}),
});

/** Where each label goes, in the plot's pixels: the left or right end of its text, at its baseline. */
interface Spot {
  readonly x: number;
  readonly y: number;
  readonly align: 'left' | 'right';
}
const spot = (x: number, y: number, align: Spot['align']): Spot => ({ x, y, align });

/**
 * Vertical rules at `rules[i].value` on an x scale whose domain is exactly `domain` (the chart
 * must set it so, with `nice: false`: labels are placed in pixels) over a plot `width` wide. Each
 * label goes in the lowest row above the plot where it overlaps no other: right of its rule, else
 * left of it, else one row up; rows stack upward, so the chart grows taller, not more crowded.
 */
export function verticalRuleLayers(rules: readonly LabelledRule[], domain: Domain, width: number, s: RuleStyle) {
  if (!rules.length) return [];
  const [lo, hi] = domain;
  const px = (v: number) => (hi > lo ? ((v - lo) / (hi - lo)) * width : 0);
  const rowHeight = Math.ceil(textSize('', s.fontSize).height);
  const rowBottom = (row: number) => -ROW_GAP - row * rowHeight;
  const within = (b: Box) => b.x0 >= 0 && b.x1 <= width;
  const candidates = rules.map((r) => {
    const x = px(r.value);
    const { width: w, height: h } = textSize(r.label, s.fontSize, s.bold);
    return rules.flatMap((_, row) => {
      const y = rowBottom(row);
      const right = { box: { x0: x + GAP, x1: x + GAP + w, y0: y - h, y1: y }, spot: spot(x + GAP, y, 'left') };
      const left = { box: { x0: x - GAP - w, x1: x - GAP, y0: y - h, y1: y }, spot: spot(x - GAP, y, 'right') };
      return [right, left].filter((c) => within(c.box));
    });
  });
  // A label too long for either side of its rule inside the plot's width still gets a row of its own.
  const fallback = (i: number) => spot(px(rules[i]!.value) + GAP, rowBottom(rules.length + i), 'left');
  const spots = placeLabels(candidates).map((c, i) => c?.spot ?? fallback(i));
  const labels = rules.map((r, i) => ({ label: r.label, ...spots[i]! }));
  const text = (align: string) => ({
    data: { values: labels.filter((l) => l.align === align) },
    mark: textMark(s, align, 'bottom'),
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: null },
      y: { field: 'y', type: 'quantitative', scale: null },
      text: { field: 'label' },
    },
  });
  return [
    {
      data: { values: rules.map((r) => ({ [s.field]: r.value })) },
      mark: { type: 'rule', strokeDash: [...s.strokeDash], color: s.ruleColour },
      encoding: { x: { field: s.field, type: 'quantitative', scale: { domain: [lo, hi], nice: false } } },
    },
    ...['left', 'right'].filter((a) => labels.some((l) => l.align === a)).map(text),
  ];
}

/**
 * A horizontal rule at `rule.value` on the chart's y scale, labelled in the margin right of a
 * plot `width` wide, level with the rule. A chart with such a rule keeps its legend off the right.
 */
export function horizontalRuleLayers(rule: LabelledRule, width: number, s: RuleStyle): object[] {
  return [
    {
      data: { values: [{ [s.field]: rule.value }] },
      mark: { type: 'rule', strokeDash: [...s.strokeDash], color: s.ruleColour },
      encoding: { y: { field: s.field, type: 'quantitative' } },
    },
    {
      data: { values: [{ [s.field]: rule.value, label: rule.label }] },
      mark: textMark(s, 'left', 'middle'),
      encoding: {
        x: { value: width + 2 * GAP },
        y: { field: s.field, type: 'quantitative' },
        text: { field: 'label' },
      },
    },
  ];
}

/**
 * A domain that is exactly the values' extent (one unit wide when they are all equal), widened by
 * `padPixels` at each end of a plot `width` wide: room for a point's radius at the edges.
 */
export function extentDomain(values: readonly number[], padPixels = 0, width = 1): [number, number] {
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  if (hi <= lo) return [lo - 0.5, lo + 0.5];
  const pad = padPixels > 0 ? ((hi - lo) * padPixels) / Math.max(1, width - 2 * padPixels) : 0;
  return [lo - pad, hi + pad];
}
