/** Row gathers from quantized tables (a tied Q8_0 / F16 head doubles as the embedding) against float references. */
import { describe, expect, it } from "vitest";
import { embeddingF16, embeddingQ8_0, embeddingQ8_0Ref, embeddingRef } from "@/lib/engine/kernels/embedding";
import { f16ToF32Table, toFloat32 } from "@/lib/engine/tensor/dtype";
import { encodeF16, quantizeQ8_0, unpackQ8_0 } from "@/lib/engine/tensor/quantize";
import { randn, seeded } from "../golden/random-model";

const [V, dim, B] = [50, 96, 4];
const rand = seeded(11);
const ids = Int32Array.from([3, 49, 0, 3]);

describe("quantized embedding gathers", () => {
  it("embeddingQ8_0 equals embeddingQ8_0Ref and the dequantized table's rows", () => {
    const q = quantizeQ8_0(randn(rand, V * dim, 1));
    const { scales, quants } = unpackQ8_0(q, V * dim);
    const a = new Float32Array(B * dim);
    const b = new Float32Array(B * dim);
    const c = new Float32Array(B * dim);
    embeddingQ8_0Ref(a, scales, quants, ids, B, dim);
    embeddingQ8_0(b, scales, quants, ids, B, dim);
    embeddingRef(c, toFloat32("Q8_0", q, V * dim), ids, B, dim);
    expect(b).toEqual(a);
    expect(b).toEqual(c);
    expect(Math.max(...b.map(Math.abs))).toBeGreaterThan(1);
  });

  it("embeddingF16 equals embeddingRef over the decoded table", () => {
    const bytes = encodeF16(randn(rand, V * dim, 1));
    const bits = new Uint16Array(bytes.buffer, bytes.byteOffset, V * dim);
    const a = new Float32Array(B * dim);
    const b = new Float32Array(B * dim);
    embeddingRef(a, toFloat32("F16", bytes, V * dim), ids, B, dim);
    embeddingF16(b, bits, f16ToF32Table(), ids, B, dim);
    expect(b).toEqual(a);
  });
});
