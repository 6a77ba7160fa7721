// The two distributions analysis uses from jstat (which ships no types).
declare module 'jstat' {
  export const jStat: {
    studentt: { cdf(x: number, dof: number): number };
    normal: { cdf(x: number, mean: number, sd: number): number };
  };
}
