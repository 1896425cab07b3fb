/**
 * The one seeded random generator of the project: engine sampling, trainer
 * data and init, reward init/shuffle/split and the statistics' bootstrap all
 * draw from it, so every result is reproduced from its stored seed.
 *
 * The engine's stream is a stored contract: a completion is reproduced from
 * its config + seed, so `createRng(seed).next()` must never change.
 */

/** A source of uniform doubles in [0, 1). Sampling draws exactly one per sampled token. */
export interface Rng {
  next(): number;
}

/** The generator's whole state: four 32-bit words, JSON-safe (plain numbers). */
export type RngState = readonly [number, number, number, number];

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

function fail(message: string): never {
  throw new RangeError(message);
}

function checkSeed(name: string, x: number): void {
  if (!(Number.isSafeInteger(x) && x >= 0)) fail(`${name} must be a non-negative safe integer, got ${x}`);
}

/** SplitMix64's output function (Stafford variant 13). */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/**
 * SplitMix64 (Steele, Lea & Flood 2014), the seeder the xoshiro authors
 * recommend: it turns any seed, even 0, into a well-mixed state. BigInt is
 * fine here because it runs four times per seed, never per token.
 */
export function splitMix64(seed: bigint): () => bigint {
  let state = seed & MASK64;
  return () => {
    state = (state + GOLDEN_GAMMA) & MASK64;
    return mix64(state);
  };
}

/**
 * xoshiro128** 1.1 (Blackman & Vigna) on a 4×u32 state. Pure 32-bit integer
 * arithmetic (Math.imul, >>>), so the stream is identical on every platform.
 */
export class Xoshiro128ss implements Rng {
  private readonly s: Uint32Array;

  constructor(state: Uint32Array | RngState) {
    if (!(state.length === 4 && Array.from(state).every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) && Array.from(state).some((w) => w !== 0))) {
      fail(`xoshiro128** state must be 4 words, not all zero, got [${Array.from(state).join(", ")}]`);
    }
    this.s = Uint32Array.from(state);
  }

  /** A generator that continues exactly where the one that gave `state` was. */
  static fromState(state: RngState): Xoshiro128ss {
    return new Xoshiro128ss(state);
  }

  /** The current state; `Xoshiro128ss.fromState(rng.state())` continues the same stream. */
  state(): RngState {
    const s = this.s;
    return [s[0], s[1], s[2], s[3]];
  }

  /** The next raw 32-bit output. */
  nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A double in [0, 1) with 53 random bits (two outputs), so tiny probabilities stay reachable. */
  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** An integer in [lo, hi], both inclusive (one draw). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** One item, uniformly (one draw). */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `k` distinct items in random order (k <= items.length); `items` is left as it was. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, k);
  }

  /** Fisher–Yates shuffle in place; returns `items`. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /**
   * A standard normal value by Box–Muller, one per call (two draws; the
   * cosine half is dropped so the state stays the four words). 1 - u keeps
   * the log away from 0.
   */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A deterministic RNG for `seed` (a non-negative safe integer): xoshiro128**
 * whose state is the first two SplitMix64 outputs split into 32-bit words
 * (low word first).
 */
export function createRng(seed: number): Xoshiro128ss {
  checkSeed("seed", seed);
  const next = splitMix64(BigInt(seed));
  const a = next();
  const b = next();
  const words = [a & 0xffffffffn, a >> 32n, b & 0xffffffffn, b >> 32n].map(Number);
  return new Xoshiro128ss(Uint32Array.from(words));
}

/**
 * The seed of item `k` of a run seeded with `seed`: SplitMix64's output
 * number k for `seed`, cut to 53 bits. Jumping straight to output k means
 * step k's data does not depend on the steps before it, so a resumed run
 * draws exactly what the uninterrupted one would have.
 */
export function deriveSeed(seed: number, k: number): number {
  checkSeed("seed", seed);
  checkSeed("k", k);
  const state = (BigInt(seed) + (BigInt(k) + 1n) * GOLDEN_GAMMA) & MASK64;
  return Number(mix64(state) >> 11n);
}
