/** Every optimized kernel against its naive Ref on seeded random inputs (ggml test-backend-ops style). */
import { describe, expect, it } from "vitest";
import { gelu, geluRef, swiglu, swigluRef } from "@/lib/engine/kernels/activation";
import { attention, attentionRef } from "@/lib/engine/kernels/attention";
import { addInPlace, embedding, embeddingRef } from "@/lib/engine/kernels/embedding";
import { matmul, matmulF16, matmulF16Ref, matmulQ8_0, matmulQ8_0Ref, matmulRef } from "@/lib/engine/kernels/matmul";
import { matmulQ8_0Q8, matmulQ8_0Q8Ref, quantizeRowsQ8_0 } from "@/lib/engine/kernels/matmul-q8";
import { layernorm, layernormRef, rmsnorm, rmsnormRef } from "@/lib/engine/kernels/norm";
import { rope, ropeInvFreq, ropeRef } from "@/lib/engine/kernels/rope";
import { logSoftmax, softmax, softmaxRef } from "@/lib/engine/kernels/softmax";
import { f16ToF32Table, toFloat32 } from "@/lib/engine/tensor/dtype";
import { encodeF16, quantizeQ8_0, unpackQ8_0 } from "@/lib/engine/tensor/quantize";
import { randn, seeded } from "../golden/random-model";

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const rand = seeded(42);

describe("matmul kernels", () => {
  it.each([[1, 64, 48], [2, 8, 3], [3, 67, 5], [5, 13, 7], [16, 32, 33]])("matmul matches matmulRef for B=%i n=%i d=%i", (B, n, d) => {
    const x = randn(rand, B * n, 1);
    const w = randn(rand, d * n, 1);
    const a = new Float32Array(B * d);
    const b = new Float32Array(B * d);
    matmulRef(a, x, w, B, n, d);
    matmul(b, x, w, B, n, d);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(1); // not trivially zero
  });

  it.each([[1, 5, 3], [4, 8, 6], [7, 13, 5]])("matmul takes float64 buffers and matches matmulRef to 1e-12 for B=%i n=%i d=%i (trainer gradient checks)", (B, n, d) => {
    const x = Float64Array.from(randn(rand, B * n, 1));
    const w = Float64Array.from(randn(rand, d * n, 1));
    const a = new Float64Array(B * d);
    const b = new Float64Array(B * d);
    matmulRef(a, x, w, B, n, d);
    matmul(b, x, w, B, n, d);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-12);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it("Q8_0 matmuls match their Refs and the dequantized F32 product", () => {
    const [B, n, d] = [3, 96, 20];
    const x = randn(rand, B * n, 1);
    const w = randn(rand, d * n, 1);
    const { scales, quants } = unpackQ8_0(quantizeQ8_0(w), d * n);
    const deq = toFloat32("Q8_0", quantizeQ8_0(w), d * n);
    const ref = new Float32Array(B * d);
    const out = new Float32Array(B * d);
    const dense = new Float32Array(B * d);
    matmulQ8_0Ref(ref, x, scales, quants, B, n, d);
    matmulQ8_0(out, x, scales, quants, B, n, d);
    matmulRef(dense, x, deq, B, n, d);
    expect(maxAbsDiff(ref, out)).toBeLessThan(1e-4);
    expect(maxAbsDiff(dense, out)).toBeLessThan(1e-4);
    const xq = new Int8Array(B * n);
    const xs = new Float32Array((B * n) / 32);
    quantizeRowsQ8_0(xq, xs, x, B * n);
    const qref = new Float32Array(B * d);
    const qout = new Float32Array(B * d);
    matmulQ8_0Q8Ref(qref, xq, xs, scales, quants, B, n, d);
    matmulQ8_0Q8(qout, xq, xs, scales, quants, B, n, d);
    expect(maxAbsDiff(qref, qout)).toBeLessThan(1e-4);
    // Quantizing the activations too costs well under 2% of the product's scale.
    expect(maxAbsDiff(dense, qout)).toBeLessThan(0.02 * Math.sqrt(n));
  });

  it("F16 matmul matches its Ref", () => {
    const [B, n, d] = [2, 33, 7];
    const x = randn(rand, B * n, 1);
    const bytes = encodeF16(randn(rand, d * n, 1));
    const bits = new Uint16Array(bytes.buffer);
    const a = new Float32Array(B * d);
    const b = new Float32Array(B * d);
    matmulF16Ref(a, x, bits, f16ToF32Table(), B, n, d);
    matmulF16(b, x, bits, f16ToF32Table(), B, n, d);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
  });
});

describe("norms, activations, embedding", () => {
  it("rmsnorm and layernorm match their Refs", () => {
    const [B, n] = [4, 65];
    const x = randn(rand, B * n, 2, 3);
    const w = randn(rand, n, 0.2, 1);
    const bias = randn(rand, n, 0.1);
    const a = new Float32Array(B * n);
    const b = new Float32Array(B * n);
    rmsnormRef(a, x, w, B, n, 1e-5);
    rmsnorm(b, x, w, B, n, 1e-5);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    layernormRef(a, x, w, bias, B, n, 1e-5);
    layernorm(b, x, w, bias, B, n, 1e-5);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-4);
  });

  it("swiglu and gelu match their Refs", () => {
    const n = 100;
    const g = randn(rand, n, 3);
    const u = randn(rand, n, 1);
    const a = new Float32Array(n);
    const b = new Float32Array(n);
    swigluRef(a, g, u, n);
    swiglu(b, g, u, n);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    geluRef(a, g, n);
    gelu(b, g, n);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    expect(b[0]).not.toBe(g[0]);
  });

  it("embedding gathers the same rows as embeddingRef", () => {
    const table = randn(rand, 10 * 8, 1);
    const ids = Int32Array.of(3, 9, 0, 3);
    const a = new Float32Array(32);
    const b = new Float32Array(32);
    embeddingRef(a, table, ids, 4, 8);
    embedding(b, table, ids, 4, 8);
    expect(b).toEqual(a);
    expect(Array.from(b.subarray(8, 16))).toEqual(Array.from(table.subarray(72, 80)));
  });

  it.each([0, 3, 4, 11])("addInPlace adds the first n values (n=%i) and leaves the rest", (n) => {
    const [out, x] = [randn(rand, 12, 1), randn(rand, 12, 1)];
    const want = out.map((v, i) => (i < n ? Math.fround(v + x[i]) : v));
    addInPlace(out, x, n);
    expect(out).toEqual(want);
  });
});

describe("rope, softmax, attention", () => {
  it("rope matches ropeRef and leaves position 0 unchanged", () => {
    const [B, H, hd] = [3, 4, 16];
    const inv = ropeInvFreq(hd, 10000, null);
    const x = randn(rand, B * H * hd, 1);
    const a = x.slice();
    const b = x.slice();
    const pos = Int32Array.of(0, 5, 127);
    ropeRef(a, pos, inv, B, H, hd);
    rope(b, pos, inv, B, H, hd);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    expect(maxAbsDiff(b.subarray(0, H * hd), x.subarray(0, H * hd))).toBe(0);
    expect(maxAbsDiff(b.subarray(H * hd), x.subarray(H * hd))).toBeGreaterThan(0.1);
  });

  it("llama3 rope scaling keeps high frequencies and divides low ones by the factor", () => {
    const base = ropeInvFreq(64, 500000, null);
    const scaled = ropeInvFreq(64, 500000, { type: "llama3", factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 });
    expect(scaled[0]).toBe(base[0]);
    expect(scaled[31]).toBeCloseTo(base[31] / 8, 10);
    expect(scaled[20]).toBeLessThan(base[20]);
  });

  it("softmax and logSoftmax agree with softmaxRef", () => {
    const x = randn(rand, 50, 5);
    const a = new Float32Array(50);
    softmaxRef(a, x, 50);
    const b = x.slice();
    softmax(b, 0, 50);
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    const l = new Float32Array(50);
    logSoftmax(l, x, 0, 50);
    expect(maxAbsDiff(l.map(Math.exp), a)).toBeLessThan(1e-6);
  });

  it("GQA attention matches attentionRef", () => {
    const [H, KV, hd, nPos] = [8, 2, 16, 9];
    const q = randn(rand, 2 * H * hd, 1);
    const k = randn(rand, 4 + nPos * KV * hd, 1);
    const v = randn(rand, 4 + nPos * KV * hd, 1);
    const a = new Float32Array(H * hd + 3);
    const b = new Float32Array(H * hd + 3);
    attentionRef(a, 3, q, H * hd, k, v, 4, nPos, H, KV, hd, new Float32Array(nPos));
    attention(b, 3, q, H * hd, k, v, 4, nPos, H, KV, hd, new Float32Array(nPos));
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-5);
    expect(a[0]).toBe(0); // offsets respected
  });
});
