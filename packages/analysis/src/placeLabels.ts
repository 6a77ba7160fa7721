// Where a chart's labels go, decided before Vega draws anything: Vega-Lite has no collision-aware
// label placement, so a chart that labels its rules lists candidate spots per label and takes the
// first free one. Deterministic (same labels, same picture) and blind to fonts, so text sizes are
// estimated on the generous side: a label may end up further away than needed, never on another.

/** A box in a plot's pixels: x to the right, y down from the plot's top-left corner (negative y: above the plot). */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/**
 * The size a label is assumed to take: characters × font size × 0.64 (0.7 bold) wide — wider than
 * the sans-serif fonts browsers pick (DejaVu Sans's digits are 0.64 em, Helvetica's 0.56) — and
 * 1.3 font sizes tall. Combining marks (the tilde of H̃) add no width.
 */
export function textSize(text: string, fontSize = 11, bold = false): { width: number; height: number } {
  const chars = [...text.replace(/\p{M}/gu, '')].length;
  return { width: chars * fontSize * (bold ? 0.7 : 0.64), height: fontSize * 1.3 };
}

/** Anything with a box: a candidate spot for a label, with whatever the caller needs to draw it there. */
export interface Placeable {
  readonly box: Box;
}

const overlap = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Places labels in order: each takes the first of its candidates whose box clears `obstacles` and
 * every label placed before it; null where none does (the caller falls back, or leaves it out).
 */
export function placeLabels<C extends Placeable>(candidates: readonly (readonly C[])[], obstacles: Box[] = []) {
  const taken: Box[] = [...obstacles];
  return candidates.map((options): C | null => {
    const free = options.find((c) => !taken.some((b) => overlap(c.box, b))) ?? null;
    if (free) taken.push(free.box);
    return free;
  });
}
