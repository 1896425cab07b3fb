/**
 * The Q4_K / Q6_K reference quantizers on seeded inputs: sizes, quantize ->
 * dequantize error bounds, zero blocks. (Bit-identity with llama.cpp's own
 * quantizers is in k-quants-llama-cpp.test.ts, where the peer is available.)
 */
import { describe, expect, it } from "vitest";
import { toFloat32 } from "@/lib/engine/tensor/dtype";
import { scaleMinK4 } from "@/lib/engine/tensor/k-quants";
import { quantizeQ4_KRef, quantizeQ6_KRef } from "@/lib/engine/tensor/k-quantize";
import { randn, seeded } from "../golden/random-model";

describe("K-quant reference quantizers", () => {
  const rand = seeded(3);
  const x = randn(rand, 256 * 32, 1);

  it.each([
    ["Q4_K", quantizeQ4_KRef, 144, 0.12],
    ["Q6_K", quantizeQ6_KRef, 210, 0.03],
  ] as const)("%s: one block per 256 values, and dequantizing gives values within a small RMS error", (dtype, quantize, bytes, rel) => {
    const q = quantize(x);
    expect(q.length).toBe((x.length / 256) * bytes);
    const y = toFloat32(dtype, q, x.length);
    let se = 0;
    let ss = 0;
    for (let i = 0; i < x.length; i++) {
      se += (y[i] - x[i]) ** 2;
      ss += x[i] ** 2;
    }
    expect(Math.sqrt(se / ss)).toBeLessThan(rel);
  });

  it("Q4_K: every value is within one quantization step (d*sc) of its sub-block", () => {
    const q = quantizeQ4_KRef(x);
    const y = toFloat32("Q4_K", q, x.length);
    for (let b = 0; b < x.length / 256; b++) {
      for (let j = 0; j < 8; j++) {
        const { sc } = scaleMinK4(q, b * 144 + 4, j);
        const step = toFloat32("F16", q.subarray(b * 144, b * 144 + 2), 1)[0] * sc;
        for (let i = 0; i < 32; i++) {
          const k = b * 256 + 32 * j + i;
          expect(Math.abs(y[k] - x[k])).toBeLessThanOrEqual(step);
        }
      }
    }
  });

  it("Q6_K: every value is within one quantization step (d*|scale|) of its sub-block", () => {
    const q = quantizeQ6_KRef(x);
    const y = toFloat32("Q6_K", q, x.length);
    for (let b = 0; b < x.length / 256; b++) {
      // d = -(scale of largest magnitude)/128, so it has either sign
      const d = Math.abs(toFloat32("F16", q.subarray(b * 210 + 208, b * 210 + 210), 1)[0]);
      for (let j = 0; j < 16; j++) {
        const step = d * Math.abs((q[b * 210 + 192 + j] << 24) >> 24);
        for (let i = 0; i < 16; i++) {
          const k = b * 256 + 16 * j + i;
          expect(Math.abs(y[k] - x[k])).toBeLessThanOrEqual(step);
        }
      }
    }
  });

  it("an all-zero super-block is written as zero bytes and reads back as zeros", () => {
    for (const [dtype, quantize] of [["Q4_K", quantizeQ4_KRef], ["Q6_K", quantizeQ6_KRef]] as const) {
      const q = quantize(new Float32Array(256));
      expect(q.every((v) => v === 0)).toBe(true);
      expect(toFloat32(dtype, q, 256).every((v) => v === 0)).toBe(true);
    }
  });

  it("refuses a length that is not a multiple of 256", () => {
    expect(() => quantizeQ4_KRef(new Float32Array(100))).toThrow(/Q4_K needs a multiple of 256 values, got 100/);
    expect(() => quantizeQ6_KRef(new Float32Array(300))).toThrow(/Q6_K needs a multiple of 256 values, got 300/);
  });
});
