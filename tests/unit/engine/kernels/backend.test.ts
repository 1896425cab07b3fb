/**
 * The one kernel harness (ggml test-backend-ops style): every op of the
 * backend interface, on each backend — the TypeScript reference and both WASM
 * variants (relaxed SIMD, and the plain-SIMD fallback) — against the naive
 * Refs of kernels/*.ts, on seeded random inputs of real layer shapes
 * (SmolLM2-135M: dim 576, hidden 1536, vocab 49152, 9 heads / 3 KV heads of 64;
 * stories15M: 6 heads of 48).
 * Tolerances: f32 / f16 products max |err| < 1e-4 * sqrt(n) (f32 sums in another
 * order); Q8_0 (integer dots, f32 scale products) max |err| < 1e-3; NMSE < 1e-10.
 * Attention (f32 dots, polynomial exp in WASM): max |err| < 1e-5, NMSE < 1e-11.
 */
import { describe, expect, it } from "vitest";
import { swigluRef } from "@/lib/engine/kernels/activation";
import { createKernels } from "@/lib/engine/kernels/backend/create";
import type { BackendName, Linear } from "@/lib/engine/kernels/backend/types";
import { embeddingF16, embeddingQ8_0Ref, embeddingRef } from "@/lib/engine/kernels/embedding";
import type { KvHeads } from "@/lib/engine/kernels/kv-cache";
import { matmulF16Ref, matmulRef } from "@/lib/engine/kernels/matmul";
import { matmulQ8_0Q8Ref, quantizeRowsQ8_0 } from "@/lib/engine/kernels/matmul-q8";
import { rmsnorm, rmsnormRef } from "@/lib/engine/kernels/norm";
import { f16ToF32Table } from "@/lib/engine/tensor/dtype";
import { seeded } from "../golden/random-model";
import { WASM_BACKENDS, attendRef, errors, matrix, randomCache, randomF16, uniform } from "./harness";

const BACKENDS: readonly BackendName[] = ["typescript", ...WASM_BACKENDS];
const rand = seeded(7);
// [d (rows out), n (cols in), B]: q, gate/up, down, tied head; prefill and batched decode batches
const shapes: [number, number, number][] = [
  [576, 576, 1], [576, 576, 16], [1536, 576, 4], [576, 1536, 3], [49152, 576, 2],
];

/** The Ref's product x (B, n) @ W^T, W (d, n) as loaded (row-major; before a backend takes it). */
function refProduct(W: Linear, x: Float32Array, B: number): Float32Array {
  const [d, n] = [W.rows, W.cols];
  const ref = new Float32Array(B * d);
  if (W.kind === "f32") matmulRef(ref, x, W.w, B, n, d);
  if (W.kind === "f16") matmulF16Ref(ref, x, W.bits, f16ToF32Table(), B, n, d);
  if (W.kind === "q8_0") {
    const [xq, xs] = [new Int8Array(B * n), new Float32Array((B * n) / 32)];
    quantizeRowsQ8_0(xq, xs, x, B * n);
    matmulQ8_0Q8Ref(ref, xq, xs, W.scales, W.quants, B, n, d);
  }
  return ref;
}

describe.each(BACKENDS)("%s backend", (backend) => {
  const wasm = backend !== "typescript";

  it("is the backend asked for", () => {
    expect(createKernels({ backend }).name).toBe(backend);
  });

  for (const kind of ["f32", "f16", "q8_0"] as const) {
    it.each(shapes)(`${kind} product matches its Ref for W (%i, %i), B=%i`, (d, n, B) => {
      if (!wasm && d * n > 1e7 && kind !== "f32") return; // the TypeScript f16 / Q8_0 head is covered by the smaller shapes
      const W = kind === "f16" ? randomF16(rand, d, n) : matrix(kind, uniform(rand, d * n), d, n);
      const x = uniform(rand, B * n);
      const ref = refProduct(W, x, B);
      const k = createKernels({ backend }, [W]);
      expect(k.movedWeights).toBe(wasm);
      const got = new Float32Array(B * d);
      k.product(W).run(got, x, B);
      const { maxErr, nmse } = errors(ref, got);
      expect(maxErr).toBeLessThan(kind === "q8_0" ? 1e-3 : 1e-4 * Math.sqrt(n));
      expect(nmse).toBeLessThan(1e-10);
    });
  }

  it("f16 product converts every f16 class exactly: zeros, subnormals, normals, max, inf and NaN", () => {
    // one weight per row against x = one-hot, so out[i] is the decoded weight i itself
    const special = [0x0000, 0x8000, 0x0001, 0x83ff, 0x0400, 0x3c00, 0xbc00, 0x7bff, 0xfbff, 0x3555, 0x7c00, 0xfc00, 0x7e00, 0x1234, 0x9abc, 0x4000];
    const [d, n] = [special.length, 4];
    const bits = new Uint16Array(d * n);
    special.forEach((h, i) => (bits[i * n + 1] = h));
    const W: Linear = { kind: "f16", rows: d, cols: n, bits };
    const got = new Float32Array(d);
    createKernels({ backend }, [W]).product(W).run(got, Float32Array.of(0, 1, 0, 0), 1);
    // + 0: a sum starting from +0 turns a -0 weight into +0
    expect(Array.from(got)).toEqual(special.map((h) => f16ToF32Table()[h] + 0));
  });

  it("quantizeQ8 gives exactly quantizeRowsQ8_0's quants and scales, special values included", () => {
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
    const [xq, xs] = [new Int8Array(x.length), new Float32Array(x.length / 32)];
    quantizeRowsQ8_0(xq, xs, x, x.length);
    const [gq, gs] = [new Int8Array(x.length), new Float32Array(x.length / 32)];
    createKernels({ backend }).quantizeQ8(gq, gs, x, x.length);
    expect(Array.from(gq)).toEqual(Array.from(xq));
    expect(Array.from(gs)).toEqual(Array.from(xs));
    expect(xs.some((s) => s === Infinity) && xs.some((s) => s > 0 && s < 2 ** -14)).toBe(true);
  });

  it("swiglu matches swigluRef, from saturated negative gates to large positive ones", () => {
    const n = 4099; // not a multiple of 4: the padded tail stays out of `out`
    const gate = Float32Array.from(uniform(rand, n), (v, i) => (i < 8 ? [-200, -88, -30, 0, 30, 88, 200, -0][i] : v * 12));
    const up = uniform(rand, n);
    const ref = new Float32Array(n + 1).fill(7);
    const got = new Float32Array(n + 1).fill(7);
    swigluRef(ref, gate, up, n);
    const k = createKernels({ backend });
    k.swiglu(got, gate, up, n);
    const { maxErr, nmse } = errors(ref, got);
    expect(maxErr).toBeLessThan(1e-5);
    expect(nmse).toBeLessThan(1e-12);
    expect(got[n]).toBe(7);
    // a NaN gate stays NaN (WASM: through the clamp, pmax/pmin keep it), next to ordinary values
    const nanOut = new Float32Array(4);
    k.swiglu(nanOut, Float32Array.of(NaN, 1, -1, 2), Float32Array.of(1, 1, 1, 1), 4);
    expect(Number.isNaN(nanOut[0])).toBe(true);
    expect(nanOut[1]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });

  it("rmsnorm gives exactly the TypeScript rmsnorm's values (a decode row, a prefill chunk, tiny and huge values, n % 4 != 0)", () => {
    const k = createKernels({ backend });
    for (const [B, n, scaleX] of [[1, 576, 1], [64, 576, 1], [3, 288, 1e-20], [3, 288, 1e18], [2, 30, 1]] as const) {
      const x = uniform(rand, B * n).map((v, i) => (i % 7 === 0 ? v * scaleX : v));
      const w = uniform(rand, n).map((v) => 1 + v);
      const [ts, got, ref] = [new Float32Array(B * n + 1).fill(7), new Float32Array(B * n + 1).fill(7), new Float32Array(B * n)];
      rmsnorm(ts, x, w, B, n, 1e-5);
      k.rmsnorm(got, x, w, B, n, 1e-5);
      rmsnormRef(ref, x, w, B, n, 1e-5);
      expect(got).toEqual(ts);
      expect(errors(ref, got.subarray(0, B * n)).maxErr).toBeLessThan(1e-5);
    }
  });

  it("embedding reads rows of a table the backend holds (packed in WASM) as the row-major original", () => {
    const [d, n] = [12, 64];
    const ids = Int32Array.of(0, 5, 11, 5, 2);
    for (const kind of ["f32", "f16", "q8_0"] as const) {
      const w = uniform(rand, d * n);
      const original = matrix(kind, w, d, n);
      const want = new Float32Array(ids.length * n);
      if (original.kind === "f32") embeddingRef(want, original.w, ids, ids.length, n);
      if (original.kind === "f16") embeddingF16(want, original.bits, f16ToF32Table(), ids, ids.length, n);
      if (original.kind === "q8_0") embeddingQ8_0Ref(want, original.scales, original.quants, ids, ids.length, n);
      const E = matrix(kind, w, d, n);
      const got = new Float32Array(ids.length * n);
      createKernels({ backend }, [E]).embedding(E).run(got, ids, ids.length);
      expect(got).toEqual(want);
    }
  });

  // [model, positions attended (one decode row), ctx, heads]; nPos = ctx = 17 puts the K over-read past the cache's end
  const SMOL: KvHeads = { nHeads: 9, nKvHeads: 3, headDim: 64 };
  const STORIES: KvHeads = { nHeads: 6, nKvHeads: 6, headDim: 48 };
  const arand = seeded(11);
  const cases: [string, number, number, KvHeads][] = [
    ["SmolLM2", 1, 8, SMOL], ["SmolLM2", 17, 64, SMOL], ["SmolLM2", 200, 200, SMOL],
    ["stories15M", 1, 4, STORIES], ["stories15M", 17, 17, STORIES], ["stories15M", 200, 256, STORIES],
  ];

  it.each(cases)("attention matches attentionRef for %s heads over %i positions (ctx %i)", (_name, nPos, ctx, heads) => {
    const cache = randomCache(createKernels({ backend }).kvCache(2, 2, ctx, heads, 1), arand);
    const q = uniform(arand, heads.nHeads * heads.headDim).map((v) => 8 * v);
    const [slots, positions] = [Int32Array.of(1), Int32Array.of(nPos - 1)];
    const got = new Float32Array(q.length);
    cache.attend(got, q, q.length, 1, slots, positions, 1, null);
    const { maxErr, nmse } = errors(attendRef(cache, q, 1, slots, positions, 1, null), got);
    expect(maxErr).toBeLessThan(1e-5);
    expect(nmse).toBeLessThan(1e-11);
  });

  it("attention takes a batch of rows in different slots at different positions, with a sliding window, in one call", () => {
    const B = 5;
    const cache = randomCache(createKernels({ backend }).kvCache(2, 4, 96, SMOL, B), arand);
    const qDim = SMOL.nHeads * SMOL.headDim;
    const q = uniform(arand, B * qDim).map((v) => 8 * v);
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
});
