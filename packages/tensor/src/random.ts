/**
 * Seedable pseudo-random numbers. Every random draw in Sinapse (rand, randn, weight initializers,
 * dropout masks, shuffling) goes through a {@link Generator}, so one `seed(n)` call makes a whole
 * program reproducible, and code that wants its own stream passes `{ generator }` explicitly.
 *
 * The generator is xoshiro128** (Blackman & Vigna, 2018): 128 bits of state, fast with 32-bit
 * integer math, and good enough statistically for initialisation and shuffling. The seed is
 * expanded into the state with splitmix32 so nearby seeds give unrelated streams.
 */

export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Second Box–Muller value, kept for the next `normal()` call. */
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Resets the stream: the same seed always gives the same sequence. */
  seed(seed: number): this {
    let x = Math.trunc(seed) >>> 0;
    // splitmix32: each step gives one well-mixed 32-bit word of state.
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spareNormal = null;
    return this;
  }

  /** A uniform 32-bit unsigned integer (one xoshiro128** step). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3 >>> 0, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** A uniform float in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [low, high). */
  int(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  /**
   * A standard normal draw (mean 0, std 1), by the Box–Muller transform: for U1, U2 uniform,
   * sqrt(-2 ln U1)·cos(2π U2) and sqrt(-2 ln U1)·sin(2π U2) are two independent normals.
   */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    // 1 - uniform() lies in (0, 1], so the log is finite.
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The library-wide generator used when no `generator` option is given. */
let globalGenerator = new Generator(Date.now() >>> 0);

/**
 * Seeds the library-wide generator: after `seed(42)`, every random draw that does not name its
 * own generator (rand, randn, initializers, dropout, shuffling) is reproducible.
 */
export function seed(n: number): void {
  globalGenerator = new Generator(n);
}

/** The library-wide generator (what `seed()` resets). */
export function getGenerator(): Generator {
  return globalGenerator;
}
