// The parts of jstat that analysis uses (jstat ships no types).
declare module 'jstat' {
  // module.exports is jStat itself: import it as the default, which Node's ES-module loader
  // gives for a CommonJS module (it finds no named `jStat` export), as bundlers and tsc do.
  const jStat: {
    /** Regularised incomplete beta I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
    normal: { cdf(x: number, mean: number, sd: number): number };
  };
  export default jStat;
}
