import { describe, expect, it } from "vitest";
import { matmul } from "@/lib/engine/kernels/matmul";
import { attention, attentionBackward, matmulBackward, rmsnorm, rmsnormBackward, rope, ropeTables, swiglu, swigluBackward } from "@/lib/train/model/ops/index";
import { dot, maxRelError, randn } from "./gradcheck";

// Each layer's backward is checked against finite differences of L = sum(out * r)
// for a fixed random r, so dL/dout = r.
const TOL = 1e-6;

// The forward product is the engine's matmul; its float64 agreement with matmulRef is in tests/unit/engine/kernels.
describe("matmul", () => {
  it("backward matches finite differences for x and W", () => {
    const [T, n, m] = [5, 7, 6];
    const x = randn(T * n, 3), w = randn(m * n, 4), r = randn(T * m, 5), out = new Float64Array(T * m);
    const loss = () => (matmul(out, x, w, T, n, m), dot(out, r));
    const dx = new Float64Array(T * n), dw = new Float64Array(m * n);
    matmulBackward(dx, dw, r, x, w, T, n, m);
    expect(maxRelError(loss, x, dx)).toBeLessThan(TOL);
    expect(maxRelError(loss, w, dw)).toBeLessThan(TOL);
  });
});

describe("rmsnorm", () => {
  it("backward matches finite differences for x and the weight", () => {
    const [T, d] = [3, 8];
    const x = randn(T * d, 6), w = randn(d, 7), r = randn(T * d, 8);
    const out = new Float64Array(T * d), inv = new Float64Array(T);
    const loss = () => (rmsnorm(out, inv, x, w, T, d, 1e-5), dot(out, r));
    loss();
    const dx = new Float64Array(T * d), dw = new Float64Array(d);
    rmsnormBackward(dx, dw, r, x, inv, w, T, d);
    expect(maxRelError(loss, x, dx)).toBeLessThan(TOL);
    expect(maxRelError(loss, w, dw)).toBeLessThan(TOL);
  });
});

describe("rope", () => {
  const [T, nh, hd] = [5, 2, 6];
  const { cos, sin } = ropeTables(16, hd, 10000);

  it("rotates pairs (i, i + hd/2) like transformers' rotate_half", () => {
    const x = randn(T * nh * hd, 9);
    const y = Float64Array.from(x);
    rope(y, T, nh, hd, cos, sin, 3, 1);
    const [t, h, i] = [2, 1, 1];
    const base = (t * nh + h) * hd;
    const ang = (3 + t) * Math.pow(10000, (-2 * i) / hd);
    expect(y[base + i]).toBeCloseTo(x[base + i]! * Math.cos(ang) - x[base + i + hd / 2]! * Math.sin(ang), 12);
    expect(y[base + i + hd / 2]).toBeCloseTo(x[base + i + hd / 2]! * Math.cos(ang) + x[base + i]! * Math.sin(ang), 12);
  });

  it("backward (inverse rotation) matches finite differences", () => {
    const x = randn(T * nh * hd, 10), r = randn(T * nh * hd, 11), y = new Float64Array(x.length);
    const loss = () => (y.set(x), rope(y, T, nh, hd, cos, sin, 2, 1), dot(y, r));
    const dx = Float64Array.from(r);
    rope(dx, T, nh, hd, cos, sin, 2, -1);
    expect(maxRelError(loss, x, dx)).toBeLessThan(TOL);
  });
});

describe("grouped-query causal attention", () => {
  const dims = { T: 5, nHeads: 4, nKv: 2, hd: 3 };
  const qn = dims.T * dims.nHeads * dims.hd, kn = dims.T * dims.nKv * dims.hd;

  it("never attends to future positions", () => {
    const q = randn(qn, 12), k = randn(kn, 13), v = randn(kn, 14);
    const out1 = new Float64Array(qn), out2 = new Float64Array(qn), probs = new Float64Array(dims.nHeads * dims.T * dims.T);
    attention(out1, probs, q, k, v, dims);
    const v2 = Float64Array.from(v);
    v2.fill(99, (dims.T - 1) * dims.nKv * dims.hd); // change only the last position's values
    attention(out2, probs, q, k, v2, dims);
    expect(Array.from(out2.subarray(0, (dims.T - 1) * dims.nHeads * dims.hd))).toEqual(Array.from(out1.subarray(0, (dims.T - 1) * dims.nHeads * dims.hd)));
  });

  it("backward matches finite differences for q, k and v", () => {
    const q = randn(qn, 15), k = randn(kn, 16), v = randn(kn, 17), r = randn(qn, 18);
    const out = new Float64Array(qn), probs = new Float64Array(dims.nHeads * dims.T * dims.T);
    const loss = () => (attention(out, probs, q, k, v, dims), dot(out, r));
    loss();
    const dq = new Float64Array(qn), dk = new Float64Array(kn), dv = new Float64Array(kn), dp = new Float64Array(dims.T);
    attentionBackward(dq, dk, dv, dp, r, probs, q, k, v, dims);
    expect(maxRelError(loss, q, dq)).toBeLessThan(TOL);
    expect(maxRelError(loss, k, dk)).toBeLessThan(TOL);
    expect(maxRelError(loss, v, dv)).toBeLessThan(TOL);
  });
});

describe("swiglu", () => {
  it("backward matches finite differences for gate and up", () => {
    const n = 12;
    const g = randn(n, 19), u = randn(n, 20), r = randn(n, 21), a = new Float64Array(n);
    const loss = () => (swiglu(a, g, u, n), dot(a, r));
    const dg = new Float64Array(n), du = new Float64Array(n);
    swigluBackward(dg, du, r, g, u, n);
    expect(maxRelError(loss, g, dg)).toBeLessThan(TOL);
    expect(maxRelError(loss, u, du)).toBeLessThan(TOL);
  });
});
