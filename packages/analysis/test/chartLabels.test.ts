/**
 * Structural checks of the report's run and forecast charts (docs/science.md § Events): both axes
 * carry titles, every rule carries a label (the events and H̃*), and no two labels overprint —
 * also when events fall on the same step (t_cross = t_grok, or t_mem = t_cross = t_grok).
 * Positions come from the rendered SVG; a label's box is estimated from its font size and length.
 */
import { renderForecastChart, renderRunChart } from '../src/charts';

interface Label {
  readonly text: string;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** The text marks' labels (not axis ticks or titles) with approximate boxes; the transform is the text's baseline point. */
function labels(svg: string): Label[] {
  const groups = [...svg.matchAll(/<g class="mark-text role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].map((m) => m[1]!);
  return groups.flatMap((g) =>
    [
      ...g.matchAll(
        /<text[^>]*text-anchor="(start|middle|end)"[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*font-size="([\d.]+)px"[^>]*>([^<]*)<\/text>/g,
      ),
    ].map((m) => {
      const [anchor, x, y, size, text] = [m[1]!, Number(m[2]), Number(m[3]), Number(m[4]), m[5]!];
      const w = text.length * size * 0.55;
      const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
      return { text, x0, x1: x0 + w, y0: y - size * 0.8, y1: y + size * 0.2 };
    }),
  );
}

const overlapping = (ls: readonly Label[]) =>
  ls.flatMap((a, i) =>
    ls
      .slice(i + 1)
      .filter((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1)
      .map((b) => `${a.text} / ${b.text}`),
  );

const axisTitles = (svg: string) =>
  [...svg.matchAll(/class="mark-text role-axis-title"[^>]*><text[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]!);

const records = [0, 100, 200, 300, 400, 500].map((step) => ({
  step,
  wallMs: step,
  metrics: {
    'entropy/Hn': 0.8 - step / 1000,
    'accuracy/train': 1,
    'accuracy/test': step / 500,
    'norm/weights': 10 - step / 100,
  },
}));

test('the overlap check itself sees two labels drawn on one spot', () => {
  const box = { x0: 0, x1: 30, y0: 0, y1: 10 };
  expect(
    overlapping([
      { text: 'a', ...box },
      { text: 'b', ...box, x0: 20, x1: 50 },
    ]),
  ).toEqual(['a / b']);
  expect(
    overlapping([
      { text: 'a', ...box },
      { text: 'b', ...box, y0: 12, y1: 22 },
    ]),
  ).toEqual([]);
});

test.each([
  ['t_cross = t_grok', { tCross: 300, tGrok: 300 }, {}],
  [
    't_mem = t_cross = t_grok, labels with steps',
    { tMem: 300, tCross: 300, tGrok: 300 },
    { labelSteps: true, trainAccuracy: true, thresholdLabel: "H̃* = 0.61 (the paper's)" },
  ],
  ['events one step apart at the right edge', { tMem: 499, tCross: 500, tGrok: 500 }, { labelSteps: true }],
])('run chart, %s: axis titles, every rule labelled, no label over another', async (_what, events, options) => {
  const svg = await renderRunChart({ name: 'seed=0', records }, { ...events, threshold: 0.61 }, options);
  expect(axisTitles(svg)).toEqual(['step', 'H̃, accuracy, ‖θ‖ / max ‖θ‖']);
  const ls = labels(svg);
  const events3 = Object.keys(events).map((k) => ({ tMem: 't_mem', tCross: 't_cross', tGrok: 't_grok' })[k]!);
  for (const e of events3) expect(ls.some((l) => l.text.startsWith(e))).toBe(true);
  expect(ls.some((l) => l.text.startsWith('H̃* = 0.61'))).toBe(true);
  expect(overlapping(ls)).toEqual([]);
  // Every label lies inside the picture.
  const width = Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
  for (const l of ls) expect([l.text, l.x0 >= 0 && l.x1 <= width]).toEqual([l.text, true]);
});

test('forecast chart: axis titles and the actual t_grok rule labelled', async () => {
  const svg = await renderForecastChart(
    'seed=1',
    [0, 100, 200].map((step) => ({ step, predicted: 400 + step / 10, actual: 400 })),
  );
  expect(axisTitles(svg)).toEqual(['step', 'forecast t_grok']);
  expect(labels(svg).map((l) => l.text)).toEqual(['actual t_grok']);
});
