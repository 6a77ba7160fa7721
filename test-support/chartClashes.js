// What the browser tests check of a drawn chart, as a reader sees it: no text printed over other
// text or over a data line, every text inside the picture, every point marker (a censored run's,
// say) whole inside its plot. chartClashes runs inside the page (page.evaluate(chartClashes,
// selector)); svgClashes draws one SVG string in a fresh page and runs it there. CommonJS with a
// .d.ts beside it, so the TypeScript tests of every package share the one check.

/**
 * The clashes in every `svg` matched by `selector` (an svg itself or a container of one), as
 * sentences:
 *   - two visible texts on one line less than 2 px apart (they read as one word: "2,4002,600"), or
 *     overlapping by more than 1 px up and down (a glyph box includes line spacing, so a 1 px sliver
 *     between stacked lines is touching, not overprinting);
 *   - a visible text crossed by a data mark: the outlines of lines, rules and points (vega's
 *     `role-mark` groups) are sampled every pixel with getTotalLength/getPointAtLength, and a sample
 *     inside the text's box (in the text's own coordinates, so a rotated label is judged by its own
 *     box) is a clash;
 *   - a text reaching outside its svg (cut off where the picture ends);
 *   - a point marker not wholly inside the plot area it belongs to (cut by the plot's edge).
 * Playwright serialises the function into the page: it uses nothing from outside its body.
 */
function chartClashes(selector) {
  const TOUCH = 1;
  const out = [];
  const visible = (el) => {
    for (let e = el; e && e.nodeName !== 'svg'; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    return true;
  };
  /** Whether rectangle `a` reaches more than `slack` px outside rectangle `b`. */
  const outside = (a, b, slack) => {
    const across = a.left < b.left - slack || a.right > b.right + slack;
    return across || a.top < b.top - slack || a.bottom > b.bottom + slack;
  };
  const svgsOf = (el) => (el.nodeName === 'svg' ? [el] : [...el.querySelectorAll('svg')]);
  const svgs = [...document.querySelectorAll(selector)].flatMap(svgsOf);
  if (!svgs.length) return [`no svg matches ${selector}`];
  for (const [k, svg] of svgs.entries()) {
    const where = svgs.length > 1 ? `svg ${k + 1}: ` : '';
    const texts = [...svg.querySelectorAll('text')]
      .filter((t) => (t.textContent || '').trim() !== '' && visible(t))
      .map((el) => ({
        text: el.textContent.trim(),
        r: el.getBoundingClientRect(),
        box: el.getBBox(),
        toLocal: el.getScreenCTM().inverse(),
      }));
    const frame = svg.getBoundingClientRect();
    for (const t of texts) if (outside(t.r, frame, TOUCH)) out.push(`${where}"${t.text}" reaches outside the picture`);
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const [a, b] = [texts[i], texts[j]];
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        // Side by side on one line, boxes closer than 2 px read as one word.
        const how = w > TOUCH ? 'overlaps' : 'runs into';
        if (w > -2 * TOUCH && h > TOUCH) out.push(`${where}"${a.text}" ${how} "${b.text}"`);
      }
    /** Whether client point `p` lies inside text `t`'s own box, deeper than TOUCH. */
    const inText = (p, t) => {
      if (p.x < t.r.left || p.x > t.r.right || p.y < t.r.top || p.y > t.r.bottom) return false;
      const q = p.matrixTransform(t.toLocal);
      const b = t.box;
      return q.x > b.x + TOUCH && q.x < b.x + b.width - TOUCH && q.y > b.y + TOUCH && q.y < b.y + b.height - TOUCH;
    };
    const drawn = /\bmark-(line|rule|symbol|trail)\b/;
    const marks = [...svg.querySelectorAll('g.role-mark')].filter((g) => drawn.test(g.getAttribute('class')));
    for (const g of marks) {
      const kind = /\bmark-(\w+)\b/.exec(g.getAttribute('class'))[1];
      for (const el of g.querySelectorAll('path, line')) {
        if (!visible(el)) continue;
        const len = el.getTotalLength();
        const ctm = el.getScreenCTM();
        const hit = new Set();
        for (let s = 0; s <= len + 1; s += 1) {
          const local = el.getPointAtLength(Math.min(s, len));
          const p = new DOMPoint(local.x, local.y).matrixTransform(ctm);
          for (const t of texts) if (!hit.has(t) && inText(p, t)) hit.add(t);
        }
        for (const t of hit) out.push(`${where}a ${kind} mark crosses "${t.text}"`);
      }
      if (kind !== 'symbol') continue;
      // The plot a point belongs to: the nearest enclosing group drawn with a frame of its own.
      let plot = null;
      for (let e = g.parentElement; e && !plot; e = e.parentElement) {
        const bg = [...e.children].find((c) => c.matches('path.background'));
        if (bg && bg.getBBox().width > 0) plot = bg.getBoundingClientRect();
      }
      if (!plot) continue;
      for (const el of g.querySelectorAll('path')) {
        const r = el.getBoundingClientRect();
        const at = `(${Math.round(r.left - plot.left)}, ${Math.round(r.top - plot.top)})`;
        if (outside(r, plot, 0.5)) out.push(`${where}a point marker at ${at} crosses the edge of its plot`);
      }
    }
  }
  return out;
}

/** The clashes of one SVG string (a chart as written to disk), drawn alone in a fresh page of `browser`. */
async function svgClashes(browser, svg) {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return await page.evaluate(chartClashes, 'body > svg');
  } finally {
    await page.close();
  }
}

module.exports = { chartClashes, svgClashes };
