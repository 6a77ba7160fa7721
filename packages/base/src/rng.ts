/**
 * Seeded pseudo-random numbers whose whole state is four 32-bit words, so a checkpoint can
 * save it and a resumed run draws exactly the numbers an uninterrupted one would.
 * Generator: xoshiro128** (Blackman & Vigna), seeded through splitmix32.
 * This module imports nothing: core (model init, batches) and tasks (splits) share it, so a split
 * drawn by tasks agrees with the one a run records, and tasks installs without TensorFlow.js.
 */
export type RngState = readonly [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  #s: Uint32Array;

  /** A generator from an integer seed, or from a state saved by `state()`. */
  constructor(seedOrState: number | RngState) {
    this.#s = new Uint32Array(4);
    if (typeof seedOrState === 'number') {
      if (!Number.isInteger(seedOrState)) {
        throw new TypeError(`Rng seed must be an integer, got ${seedOrState}`);
      }
      const next = splitmix32(seedOrState);
      for (let i = 0; i < 4; i++) this.#s[i] = next();
      if (this.#s.every((w) => w === 0)) this.#s[0] = 1;
    } else {
      if (seedOrState.length !== 4) throw new TypeError('Rng state must hold four 32-bit words');
      this.#s.set(seedOrState.map((w) => w >>> 0));
    }
  }

  /** An independent generator for a named purpose (init, split, sampling…), stable per seed. */
  static derive(seed: number, purpose: string): Rng {
    let h = 0x811c9dc5;
    for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 0x01000193) >>> 0;
    return new Rng((seed ^ h) >>> 0);
  }

  state(): RngState {
    return [this.#s[0]!, this.#s[1]!, this.#s[2]!, this.#s[3]!];
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer bound, got ${n}`);
    const limit = Math.floor(0x100000000 / n) * n;
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** Standard normal sample (Box–Muller, no cached pair so the state alone defines the stream). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** n samples of N(0, std²) as float32. */
  normalArray(n: number, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal() * std;
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}
