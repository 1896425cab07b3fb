import { check } from "@/lib/engine/errors";

/** A source of uniform doubles in [0, 1). Sampling draws exactly one per sampled token. */
export interface Rng {
  next(): number;
}

const MASK64 = (1n << 64n) - 1n;

/**
 * SplitMix64 (Steele, Lea & Flood 2014), the seeder the xoshiro authors
 * recommend: it turns any seed, even 0, into a well-mixed state. BigInt is
 * fine here because it runs four times per seed, never per token.
 */
export function splitMix64(seed: bigint): () => bigint {
  let state = seed & MASK64;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  };
}

/**
 * xoshiro128** 1.1 (Blackman & Vigna) on a 4×u32 state. Pure 32-bit integer
 * arithmetic (Math.imul, >>>), so the stream is identical on every platform.
 */
export class Xoshiro128ss implements Rng {
  private readonly s: Uint32Array;

  constructor(state: Uint32Array) {
    check(state.length === 4 && state.some((w) => w !== 0), "xoshiro128** state must be 4 words, not all zero");
    this.s = Uint32Array.from(state);
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
  check(Number.isSafeInteger(seed) && seed >= 0, `seed must be a non-negative safe integer, got ${seed}`);
  const next = splitMix64(BigInt(seed));
  const a = next();
  const b = next();
  const words = [a & 0xffffffffn, a >> 32n, b & 0xffffffffn, b >> 32n].map(Number);
  return new Xoshiro128ss(Uint32Array.from(words));
}
