// How the claims table prints its numbers: one place, so `ours` and `why` read alike.

const missing = (x: number | null | undefined): x is null | undefined =>
  x === null || x === undefined || !Number.isFinite(x);

/** A step count with thousands separators: 5020 → "5,020"; signed (+5,020 / −5,020) when `signed`. */
export function steps(x: number | null | undefined, signed = false): string {
  if (missing(x)) return '–';
  const r = Math.round(x);
  const body = Math.abs(r).toLocaleString('en-US');
  return r < 0 ? `−${body}` : signed && r > 0 ? `+${body}` : body;
}

/** A number to `digits` decimals (default 3), with a true minus sign. */
export function num(x: number | null | undefined, digits = 3): string {
  if (missing(x)) return '–';
  return x.toFixed(digits).replace(/^-/, '−');
}

/** A p-value: 2 significant digits, exponent form below 0.001 (p = 5e-5 keeps its magnitude). */
export function pValue(p: number | null | undefined): string {
  if (missing(p)) return '–';
  return p < 1e-3 ? p.toExponential(1) : p.toPrecision(2);
}

/** "5/6 (0.83)" */
export function share(k: number, n: number): string {
  return n === 0 ? `${k}/0` : `${k}/${n} (${num(k / n, 2)})`;
}
