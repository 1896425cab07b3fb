/**
 * The WASM SIMD kernels against their naive Refs on seeded random inputs of
 * real layer shapes (SmolLM2-135M: dim 576, hidden 1536, vocab 49152, 9 heads /
 * 3 KV heads of 64; stories15M: 6 heads of 48).
 * Tolerances: f32 matmul max |err| < 1e-4 * sqrt(n) (f32 sums in another order);
 * Q8_0 (integer dots, f32 scale products) max |err| < 1e-3; NMSE < 1e-10 for both.
 * Attention (f32 dots, polynomial exp, f32 softmax sums): max |err| < 1e-5, NMSE < 1e-11.
 * Every matmul kernel runs in both module variants: relaxed SIMD and the plain-SIMD fallback.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { swigluRef } from "@/lib/engine/kernels/activation";
import { attentionRef } from "@/lib/engine/kernels/attention";
import { matmulF16Ref, matmulRef } from "@/lib/engine/kernels/matmul";
import { matmulQ8_0Q8Ref, quantizeRowsQ8_0 } from "@/lib/engine/kernels/matmul-q8";
import { rmsnorm, rmsnormRef } from "@/lib/engine/kernels/norm";
import { WasmArena } from "@/lib/engine/kernels/wasm/arena";
import { kernelModule, setWasmKernels, setWasmRelaxedSimd, wasmKernelVariant } from "@/lib/engine/kernels/wasm/kernel-module";
import { Helper, setWasmThreads } from "@/lib/engine/kernels/wasm/threads";
import { WasmKv } from "@/lib/engine/kernels/wasm/kv-memory";
import type { KvHeads } from "@/lib/engine/models/kv-cache";
import { KvCache } from "@/lib/engine/models/kv-cache";
import type { Linear } from "@/lib/engine/models/linear";
import { applyLinear, embedRows, linearFromF32 } from "@/lib/engine/models/linear";
import { moveToWasm } from "@/lib/engine/models/linear-wasm";
import { Q8_QUANT_CHUNK, packRows, unpackRow } from "@/lib/engine/kernels/wasm/packed-rows";
import { f16ToF32Table, f32ToF16Bits } from "@/lib/engine/tensor/dtype";
import { seeded } from "../golden/random-model";

/** Uniform values in [-1, 1): cheap enough for the 49152 x 576 head. */
function uniform(rand: () => number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * rand() - 1;
  return out;
}

function errors(ref: Float32Array, got: Float32Array): { maxErr: number; nmse: number } {
  expect(Math.max(...ref.map(Math.abs))).toBeGreaterThan(1); // not trivially zero
  let maxErr = 0, se = 0, ss = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = ref[i] - got[i];
    maxErr = Math.max(maxErr, Math.abs(e));
    se += e * e;
    ss += ref[i] * ref[i];
  }
  return { maxErr, nmse: se / ss };
}

const rand = seeded(7);
// [d (rows out), n (cols in), B]: q, gate/up, down, tied head; prefill and batched decode batches
const shapes: [number, number, number][] = [
  [576, 576, 1], [576, 576, 16], [1536, 576, 4], [576, 1536, 3], [49152, 576, 2],
];

describe("WASM SIMD kernels", () => {
  it("compiles on this host (Node has WASM SIMD and shared memory)", () => {
    expect(kernelModule()).not.toBeNull();
  });

  it("uses relaxed SIMD on this host (Node 20 behind a V8 flag) and plain SIMD when relaxed is forbidden", () => {
    expect(wasmKernelVariant()).toBe("relaxed");
    setWasmRelaxedSimd(false);
    expect(wasmKernelVariant()).toBe("plain");
    setWasmRelaxedSimd(true);
  });

  it("gives the same Q8_0 products with relaxed and plain SIMD, also once the optimizing JIT tier runs them", () => {
    const [d, n, B] = [1536, 576, 5];
    const x = uniform(rand, B * n);
    const run = (relaxed: boolean) => {
      setWasmRelaxedSimd(relaxed);
      const W = linearFromF32(uniform(seeded(3), d * n), d, n, "q8_0");
      moveToWasm([W]);
      const out = new Float32Array(B * d);
      for (let k = 0; k < 20; k++) applyLinear(out, x, W, B);
      return out;
    };
    const plain = run(false);
    const relaxed = run(true);
    setWasmRelaxedSimd(true);
    // both sum each block's exact integer dot, then scale and add block after block: bit-identical
    expect(Array.from(relaxed)).toEqual(Array.from(plain));
  });
});

// each kernel variant against the Refs: relaxed (i8 dots in matmul_q8) and the plain-SIMD fallback
describe.each([["relaxed", true], ["plain", false]] as const)("WASM %s SIMD kernels", (_name, relaxed) => {
  beforeAll(() => setWasmRelaxedSimd(relaxed));
  afterAll(() => setWasmRelaxedSimd(true));

  it.each(shapes)("matmul_f32 matches matmulRef for W (%i, %i), B=%i", (d, n, B) => {
    const w = uniform(rand, d * n);
    const x = uniform(rand, B * n);
    const arena = WasmArena.create(WasmArena.aligned(w.length, 4))!;
    const { ptr } = arena.placeF32(w, d, n);
    const ref = new Float32Array(B * d);
    const got = new Float32Array(B * d);
    matmulRef(ref, x, w, B, n, d);
    arena.matmulF32(got, x, ptr, B, n, d);
    const { maxErr, nmse } = errors(ref, got);
    expect(maxErr).toBeLessThan(1e-4 * Math.sqrt(n));
    expect(nmse).toBeLessThan(1e-10);
  });

  it.each(shapes)("matmul_f16 matches matmulF16Ref for W (%i, %i), B=%i", (d, n, B) => {
    const bits = Uint16Array.from(uniform(rand, d * n), f32ToF16Bits);
    const x = uniform(rand, B * n);
    const arena = WasmArena.create(WasmArena.aligned(bits.length, 2))!;
    const { ptr } = arena.placeU16(bits, d, n);
    const ref = new Float32Array(B * d);
    const got = new Float32Array(B * d);
    matmulF16Ref(ref, x, bits, f16ToF32Table(), B, n, d);
    arena.matmulF16(got, x, ptr, B, n, d);
    const { maxErr, nmse } = errors(ref, got);
    expect(maxErr).toBeLessThan(1e-4 * Math.sqrt(n));
    expect(nmse).toBeLessThan(1e-10);
  });

  it("matmul_f16 converts every f16 class exactly: zeros, subnormals, normals, max, inf and NaN", () => {
    // one weight per row against x = one-hot, so out[i] is the decoded weight i itself
    const special = [0x0000, 0x8000, 0x0001, 0x83ff, 0x0400, 0x3c00, 0xbc00, 0x7bff, 0xfbff, 0x3555, 0x7c00, 0xfc00, 0x7e00, 0x1234, 0x9abc, 0x4000];
    const d = special.length, n = 4;
    const bits = new Uint16Array(d * n);
    special.forEach((h, i) => (bits[i * n + 1] = h));
    const x = Float32Array.of(0, 1, 0, 0);
    const arena = WasmArena.create(WasmArena.aligned(bits.length, 2))!;
    const got = new Float32Array(d);
    arena.matmulF16(got, x, arena.placeU16(bits, d, n).ptr, 1, n, d);
    // + 0: a sum starting from +0 turns a -0 weight into +0
    expect(Array.from(got)).toEqual(special.map((h) => f16ToF32Table()[h] + 0));
  });

  it.each(shapes)("matmul_q8 matches matmulQ8_0Q8Ref for W (%i, %i), B=%i", (d, n, B) => {
    const W = linearFromF32(uniform(rand, d * n), d, n, "q8_0");
    if (W.kind !== "q8_0") throw new Error("expected a Q8_0 layer");
    const x = uniform(rand, B * n);
    const xq = new Int8Array(B * n);
    const xs = new Float32Array((B * n) / 32);
    quantizeRowsQ8_0(xq, xs, x, B * n);
    const arena = WasmArena.create(WasmArena.aligned(d * n, 1) + WasmArena.aligned((d * n) / 32, 4))!;
    const { quants: q, scales: s } = arena.placeQ8(W.quants, W.scales, d, n);
    const ref = new Float32Array(B * d);
    const got = new Float32Array(B * d);
    matmulQ8_0Q8Ref(ref, xq, xs, W.scales, W.quants, B, n, d);
    arena.quantizeQ8(x, B * n);
    arena.matmulQ8(got, q.ptr, s.ptr, B, n, d);
    const { maxErr, nmse } = errors(ref, got);
    expect(maxErr).toBeLessThan(1e-3);
    expect(nmse).toBeLessThan(1e-10);
  });

  it("quantize_q8 gives exactly quantizeRowsQ8_0's quants and scales, special values included", () => {
    const blocks = [
      uniform(rand, 32 * 40), // ordinary
      Float32Array.from({ length: 32 }, (_, j) => (j - 16) * 0.5 + 0.25), // x/d lands on halves: ties go away from zero
      new Float32Array(32), // all zero: d = 0, id = 0
      Float32Array.from({ length: 32 }, (_, j) => (j + 1) * 1e-6), // d below 2^-14: an f16 subnormal
      Float32Array.from({ length: 32 }, (_, j) => (j % 2 ? -1 : 1) * 2 ** -24 * j), // f16 subnormal ties
      Float32Array.from({ length: 32 }, (_, j) => (j + 1) * 3e6), // d past 65504: the scale is infinite
      Float32Array.from({ length: 32 }, (_, j) => (j === 3 ? NaN : j === 7 ? -Infinity : j - 9)), // NaN and inf
      Float32Array.from({ length: 32 }, (_, j) => (j === 5 ? NaN : (j - 12) * 0.01)), // NaN beside finite values
      Float32Array.from({ length: 32 }, (_, j) => 65504 * 127 * (j === 0 ? 1 : 0.001)), // d at the largest f16
    ];
    const x = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
    blocks.reduce((o, b) => (x.set(b, o), o + b.length), 0);
    const xq = new Int8Array(x.length);
    const xs = new Float32Array(x.length / 32);
    quantizeRowsQ8_0(xq, xs, x, x.length);
    const arena = WasmArena.create(16)!;
    arena.quantizeQ8(x, x.length);
    const got = arena.quantizedInput();
    expect(Array.from(got.xq)).toEqual(Array.from(xq));
    expect(Array.from(got.xs)).toEqual(Array.from(xs));
    expect(xs.some((s) => s === Infinity) && xs.some((s) => s > 0 && s < 2 ** -14)).toBe(true);
  });

  it("swiglu matches swigluRef, from saturated negative gates to large positive ones", () => {
    const n = 4099; // not a multiple of 4: the padded tail stays out of `out`
    const gate = Float32Array.from(uniform(rand, n), (v, i) => (i < 8 ? [-200, -88, -30, 0, 30, 88, 200, -0][i] : v * 12));
    const up = uniform(rand, n);
    const ref = new Float32Array(n + 1).fill(7);
    const got = new Float32Array(n + 1).fill(7);
    swigluRef(ref, gate, up, n);
    WasmArena.create(16)!.swiglu(got, gate, up, n);
    const { maxErr, nmse } = errors(ref, got);
    expect(maxErr).toBeLessThan(1e-5);
    expect(nmse).toBeLessThan(1e-12);
    expect(got[n]).toBe(7);
    // a NaN gate stays NaN through the clamp (pmax/pmin keep it), next to ordinary values
    const nanOut = new Float32Array(4);
    WasmArena.create(16)!.swiglu(nanOut, Float32Array.of(NaN, 1, -1, 2), Float32Array.of(1, 1, 1, 1), 4);
    expect(Number.isNaN(nanOut[0])).toBe(true);
    expect(nanOut[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });

  // B=3: fixed halves (decode batches); B=20: rows claimed by both threads (prefill chunks)
  it.each([[3, [0, 1, 3]], [20, [8, 9, 10]]])("splits big products across the helper thread with the same result as one thread (B=%i)", (B, ops) => {
    const [d, n] = [1536, 576];
    const W = linearFromF32(uniform(rand, d * n), d, n, "f32");
    const Q = linearFromF32(W.kind === "f32" ? W.w : new Float32Array(0), d, n, "q8_0");
    const H: Linear = { kind: "f16", rows: d, cols: n, bits: Uint16Array.from(W.kind === "f32" ? W.w : [], f32ToF16Bits) };
    const w = W.kind === "f32" ? W.w : new Float32Array(0); // row-major; the arena's view is packed
    moveToWasm([W, Q, H]);
    const x = uniform(rand, B * n);
    const run = (threads: boolean) => {
      setWasmThreads(threads);
      return [W, Q, H].map((L) => {
        const out = new Float32Array(B * d);
        applyLinear(out, x, L, B);
        return out;
      });
    };
    const one = run(false);
    const start = vi.spyOn(Helper.prototype, "start");
    const two = run(true);
    const started = start.mock.calls.map(([, op]) => op);
    start.mockRestore();
    setWasmThreads(true);
    expect(started).toEqual(ops); // f32, q8, f16, each on the helper
    expect(two).toEqual(one); // rows are split, not sums: bit-identical
    const ref = new Float32Array(B * d);
    matmulRef(ref, x, w, B, n, d);
    expect(errors(ref, two[0]).maxErr).toBeLessThan(1e-4 * Math.sqrt(n));
    expect(errors(ref, two[2]).maxErr).toBeLessThan(0.05); // W rounded to f16: |w| < 1, rel. err <= 2^-11
  });

  it("splits big quantizations and SwiGLUs across the helper thread with the same result as one thread", () => {
    const n = 64 * 1536 + 4; // a prefill chunk's worth, plus one odd tail
    const gate = uniform(rand, n).map((v) => 4 * v);
    const up = uniform(rand, n);
    const arena = WasmArena.create(16)!;
    const run = (threads: boolean) => {
      setWasmThreads(threads);
      const out = new Float32Array(n);
      arena.swiglu(out, gate, up, n);
      arena.quantizeQ8(gate, n - 4);
      return { out, ...arena.quantizedInput() };
    };
    const one = run(false);
    const two = run(true);
    setWasmThreads(true);
    expect(Helper.get()).not.toBeNull();
    expect(two.out).toEqual(one.out);
    expect(two.xq).toEqual(one.xq);
    expect(two.xs).toEqual(one.xs);
    const ref = new Float32Array(n);
    swigluRef(ref, gate, up, n);
    expect(errors(ref, two.out).maxErr).toBeLessThan(1e-5);
  });

  it("rmsnorm gives exactly the TypeScript rmsnorm's values, on one thread and split across two", () => {
    const run = (B: number, n: number, threads: boolean, scaleX: number) => {
      const x = uniform(rand, B * n).map((v, i) => (i % 7 === 0 ? v * scaleX : v));
      const w = uniform(rand, n).map((v) => 1 + v);
      const ts = new Float32Array(B * n + 1).fill(7);
      const got = new Float32Array(B * n + 1).fill(7);
      rmsnorm(ts, x, w, B, n, 1e-5);
      setWasmThreads(threads);
      WasmArena.create(16)!.rmsnorm(got, x, w, B, n, 1e-5);
      setWasmThreads(true);
      const ref = new Float32Array(B * n);
      rmsnormRef(ref, x, w, B, n, 1e-5);
      return { ts, got, ref };
    };
    // a decode row; a prefill chunk (split across the helper); tiny and huge values; n % 4 != 0 (TypeScript)
    for (const [B, n, threads, scaleX] of [[1, 576, true, 1], [64, 576, true, 1], [64, 576, false, 1], [3, 288, true, 1e-20], [3, 288, true, 1e18], [2, 30, true, 1]] as const) {
      const { ts, got, ref } = run(B, n, threads, scaleX);
      expect(got).toEqual(ts);
      expect(errors(ref, got.subarray(0, B * n)).maxErr).toBeLessThan(1e-5);
    }
  });

  it("moveToWasm swaps weights for arena views and applyLinear gives the same product", () => {
    const [d, n, B] = [64, 96, 5];
    const layers: Linear[] = [
      linearFromF32(uniform(rand, d * n), d, n, "f32"), linearFromF32(uniform(rand, d * n), d, n, "q8_0"),
      { kind: "f16", rows: d, cols: n, bits: Uint16Array.from(uniform(rand, d * n), f32ToF16Bits) },
    ];
    const x = uniform(rand, B * n);
    const before = layers.map((W) => {
      const out = new Float32Array(B * d);
      applyLinear(out, x, W, B);
      return out;
    });
    const arena = moveToWasm(layers)!;
    expect(arena).not.toBeNull();
    layers.forEach((W, i) => {
      expect(W.wasm).toBeDefined();
      if (W.kind === "f32") expect(W.w.buffer).toBeInstanceOf(SharedArrayBuffer);
      if (W.kind === "f16") expect(W.bits.buffer).toBeInstanceOf(SharedArrayBuffer);
      if (W.kind === "q8_0") expect(W.quants.buffer).toBeInstanceOf(SharedArrayBuffer);
      const out = new Float32Array(B * d);
      applyLinear(out, x, W, B);
      expect(errors(before[i], out).maxErr).toBeLessThan(1e-3);
    });
  });

  it("packs rows four at a time in chunks and unpacks every row back", () => {
    const [rows, cols] = [8, 64];
    const src = Int8Array.from({ length: rows * cols }, (_, k) => (k % 251) - 125);
    for (const chunk of [1, 4, Q8_QUANT_CHUNK, 32]) {
      const packed = new Int8Array(rows * cols);
      packRows(packed, src, rows, cols, chunk);
      // row 1's first chunk follows row 0's; row 0's second chunk follows row 3's first
      expect(Array.from(packed.subarray(chunk, 2 * chunk))).toEqual(Array.from(src.subarray(cols, cols + chunk)));
      expect(Array.from(packed.subarray(4 * chunk, 5 * chunk))).toEqual(Array.from(src.subarray(chunk, 2 * chunk)));
      for (let r = 0; r < rows; r++) {
        const row = new Int8Array(cols);
        unpackRow(row, packed, r, cols, chunk);
        expect(Array.from(row)).toEqual(Array.from(src.subarray(r * cols, (r + 1) * cols)));
      }
    }
  });

  it("embedRows reads a table moved into the arena (packed) as the row-major original", () => {
    const [d, n] = [12, 64];
    const tables: Linear[] = [
      linearFromF32(uniform(rand, d * n), d, n, "f32"), linearFromF32(uniform(rand, d * n), d, n, "q8_0"),
      { kind: "f16", rows: d, cols: n, bits: Uint16Array.from(uniform(rand, d * n), f32ToF16Bits) },
    ];
    const ids = Int32Array.of(0, 5, 11, 5, 2);
    const embed = (E: Linear) => {
      const out = new Float32Array(ids.length * n);
      embedRows(out, E, ids, ids.length);
      return out;
    };
    const before = tables.map(embed);
    moveToWasm(tables);
    tables.forEach((E, i) => {
      expect(E.wasm).toBeDefined();
      expect(embed(E)).toEqual(before[i]);
    });
  });

  it("leaves layers on the TypeScript kernels when the fast path is off or the shape doesn't fit", () => {
    setWasmKernels(false);
    const off = [linearFromF32(uniform(rand, 8 * 8), 8, 8, "f32")];
    expect(moveToWasm(off)).toBeNull();
    setWasmKernels(true);
    const odd = [linearFromF32(uniform(rand, 6 * 10), 6, 10, "f32")];
    expect(moveToWasm(odd)).toBeNull();
    expect(odd[0].kind === "f32" && odd[0].wasm).toBeFalsy();
  });
});

// Attention data has its own stream, so a case's inputs don't depend on which tests ran before it.
const arand = seeded(11);

/** A cache of `slots` slots with random K, V (|v| < 4) over two layers. */
function randomCache(heads: KvHeads, slots: number, ctx: number, maxRows: number): KvCache {
  const cache = new KvCache(2, slots, ctx, heads, maxRows);
  cache.k.set(uniform(arand, cache.k.length).map((x) => 2 * x));
  cache.v.set(uniform(arand, cache.v.length).map((x) => 4 * x));
  return cache;
}

/** Queries whose scores have std ~5, so softmax is peaked as in trained models (outputs not averaged to ~0). */
function randomQueries(heads: KvHeads, B: number): Float32Array {
  return uniform(arand, B * heads.nHeads * heads.headDim).map((x) => 8 * x);
}

/** attentionRef for each row over positions start..pos of its slot in `layer`: out (B, nHeads*hd). */
function attendRef(
  cache: KvCache, q: Float32Array, layer: number, slots: Int32Array, positions: Int32Array, B: number, window: number | null,
): Float32Array {
  const { nHeads, nKvHeads, headDim } = cache.heads;
  const qDim = nHeads * headDim;
  const out = new Float32Array(B * qDim);
  for (let b = 0; b < B; b++) {
    const start = window ? Math.max(0, positions[b] - window + 1) : 0;
    attentionRef(out, b * qDim, q, b * qDim, cache.k, cache.v, cache.offset(layer, slots[b]) + start * cache.kvDim,
      positions[b] + 1 - start, nHeads, nKvHeads, headDim, new Float32Array(cache.ctx));
  }
  return out;
}

const SMOL: KvHeads = { nHeads: 9, nKvHeads: 3, headDim: 64 };
const STORIES: KvHeads = { nHeads: 6, nKvHeads: 6, headDim: 48 };

describe("WASM SIMD attention", () => {
  // [model, positions attended (one decode row), ctx, heads]; nPos = ctx = 17 puts the K over-read past the cache's end
  const cases: [string, number, number, KvHeads][] = [
    ["SmolLM2", 1, 8, SMOL], ["SmolLM2", 17, 64, SMOL], ["SmolLM2", 64, 64, SMOL], ["SmolLM2", 200, 200, SMOL],
    ["stories15M", 1, 4, STORIES], ["stories15M", 17, 17, STORIES], ["stories15M", 17, 32, STORIES], ["stories15M", 200, 256, STORIES],
  ];

  it.each(cases)("matches attentionRef for %s heads over %i positions (ctx %i)", (_name, nPos, ctx, heads) => {
    const cache = randomCache(heads, 2, ctx, 1);
    expect(cache.wasm).not.toBeNull();
    const q = randomQueries(heads, 1);
    const slots = Int32Array.of(1);
    const positions = Int32Array.of(nPos - 1);
    const got = new Float32Array(q.length);
    cache.attend(got, q, q.length, 1, slots, positions, 1, null);
    const { maxErr, nmse } = errors(attendRef(cache, q, 1, slots, positions, 1, null), got);
    expect(maxErr).toBeLessThan(1e-5);
    expect(nmse).toBeLessThan(1e-11);
  });

  it("takes a batch of rows in different slots at different positions, with a sliding window, in one call", () => {
    const B = 5;
    const cache = randomCache(SMOL, 4, 96, B);
    const qDim = SMOL.nHeads * SMOL.headDim;
    const q = randomQueries(SMOL, B);
    const slots = Int32Array.of(0, 3, 3, 1, 2);
    const positions = Int32Array.of(95, 0, 41, 63, 7);
    for (const window of [null, 20]) {
      const got = new Float32Array(B * qDim);
      cache.attend(got, q, qDim, 1, slots, positions, B, window);
      const { maxErr, nmse } = errors(attendRef(cache, q, 1, slots, positions, B, window), got);
      expect(maxErr).toBeLessThan(1e-5);
      expect(nmse).toBeLessThan(1e-11);
    }
  });

  it("splits a prefill chunk's rows across the helper thread with the same result as one thread", () => {
    const B = 64;
    const cache = randomCache(SMOL, 2, 128, B);
    const qDim = SMOL.nHeads * SMOL.headDim;
    const q = randomQueries(SMOL, B);
    const slots = new Int32Array(B).fill(1);
    const positions = Int32Array.from({ length: B }, (_, b) => 40 + b); // causal rows: work grows with b
    const run = (threads: boolean) => {
      setWasmThreads(threads);
      const out = new Float32Array(B * qDim);
      cache.attend(out, q, qDim, 1, slots, positions, B, null);
      return out;
    };
    const one = run(false);
    const start = vi.spyOn(Helper.prototype, "start");
    const two = run(true);
    // the helper took the later rows: op 7 on B - mid rows, mid past half the rows (later rows attend more positions)
    const job = start.mock.calls.find(([, op]) => op === 7);
    start.mockRestore();
    setWasmThreads(true);
    expect(job?.[2][5]).toBeGreaterThan(0);
    expect(job?.[2][5]).toBeLessThan(B / 2);
    expect(two).toEqual(one);
    expect(errors(attendRef(cache, q, 1, slots, positions, B, null), two).maxErr).toBeLessThan(1e-5);
  });

  it("sizes the cache's memory once for K, V and scratch, and attention does not grow it", () => {
    const cache = randomCache(SMOL, 4, 200, 16);
    const mem = cache.wasm!.memory;
    const bytes = WasmKv.bytes(cache.k.length, SMOL, 200, 16);
    expect(mem.buffer.byteLength).toBe(Math.ceil(bytes / 65536) * 65536);
    const qDim = SMOL.nHeads * SMOL.headDim;
    cache.attend(new Float32Array(16 * qDim), randomQueries(SMOL, 16), qDim, 1, new Int32Array(16).fill(2),
      new Int32Array(16).fill(199), 16, null);
    expect(mem.buffer.byteLength).toBe(Math.ceil(bytes / 65536) * 65536);
    expect(cache.k.buffer).toBe(mem.buffer);
  });

  it("falls back to the TypeScript kernel when the fast path is off or the head size is not a multiple of 16", () => {
    setWasmKernels(false);
    const off = randomCache(SMOL, 1, 8, 1);
    setWasmKernels(true);
    const odd = randomCache({ nHeads: 4, nKvHeads: 2, headDim: 8 }, 1, 8, 1);
    for (const cache of [off, odd]) {
      expect(cache.wasm).toBeNull();
      const q = randomQueries(cache.heads, 1);
      const got = new Float32Array(q.length);
      cache.attend(got, q, q.length, 0, Int32Array.of(0), Int32Array.of(7), 1, null);
      expect(errors(attendRef(cache, q, 0, Int32Array.of(0), Int32Array.of(7), 1, null), got).maxErr).toBeLessThan(1e-5);
    }
  });

  it("keeps K and V in plain arrays, with a notice, when the host cannot allocate the memory", () => {
    const memory = vi.spyOn(WebAssembly, "Memory").mockImplementation(function () {
      throw new RangeError("WebAssembly.Memory(): could not allocate memory");
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const cache = new KvCache(2, 1, 8, SMOL, 1);
      expect(cache.wasm).toBeNull();
      expect(cache.k).toBeInstanceOf(Float32Array);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      memory.mockRestore();
      warn.mockRestore();
    }
  });
});
