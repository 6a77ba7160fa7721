// The parts of jstat that analysis uses (jstat ships no types).
declare module 'jstat' {
  export const jStat: {
    /** Regularised incomplete beta I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
    normal: { cdf(x: number, mean: number, sd: number): number };
  };
}
