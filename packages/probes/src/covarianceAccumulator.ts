/**
 * Column means and the covariance C = Z_cᵀZ_c/(n−1) of rows fed in chunks, in float64, so a
 * large group's representations never need to sit in memory at once. Uses the shifted
 * formula (shift = the first row) to avoid cancellation when means are large.
 */
export class CovarianceAccumulator {
  readonly d: number;
  #n = 0;
  #shift: Float64Array | undefined;
  #sum: Float64Array;
  #cross: Float64Array;

  constructor(d: number) {
    this.d = d;
    this.#sum = new Float64Array(d);
    this.#cross = new Float64Array(d * d);
  }

  get count(): number {
    return this.#n;
  }

  /** Adds `rows` rows of width d from a row-major array. */
  add(z: ArrayLike<number>, rows = z.length / this.d): void {
    const d = this.d;
    if (rows * d > z.length || !Number.isInteger(rows))
      throw new RangeError(`CovarianceAccumulator.add: ${z.length} values do not hold ${rows} rows of width ${d}`);
    if (!this.#shift && rows > 0) this.#shift = Float64Array.from({ length: d }, (_, j) => z[j]!);
    const shift = this.#shift!;
    const x = new Float64Array(d);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) x[j] = z[r * d + j]! - shift[j]!;
      for (let i = 0; i < d; i++) {
        const xi = x[i]!;
        this.#sum[i]! += xi;
        const row = i * d;
        for (let j = i; j < d; j++) this.#cross[row + j]! += xi * x[j]!;
      }
    }
    this.#n += rows;
  }

  /** The d×d covariance, row-major (n−1 denominator). */
  covariance(): Float64Array {
    const { d } = this;
    const n = this.#n;
    if (n < 2) throw new RangeError(`covariance needs at least 2 rows, got ${n}`);
    const c = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = (this.#cross[i * d + j]! - (this.#sum[i]! * this.#sum[j]!) / n) / (n - 1);
        c[i * d + j] = v;
        c[j * d + i] = v;
      }
    }
    return c;
  }
}
