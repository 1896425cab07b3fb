/**
 * Until their kernels land, K-quant and legacy weights become float32 layers at
 * load (dequantizeAtLoad), or Q8_0 layers when the loader is asked for q8_0.
 */
import { describe, expect, it } from "vitest";
import { linearFromTensor } from "@/lib/engine/models/linear";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import { dequantizeAtLoad, toFloat32 } from "@/lib/engine/tensor/dtype";
import { quantizeQ4_KRef, quantizeQ6_KRef } from "@/lib/engine/tensor/k-quantize";
import { quantizeQ5_0 } from "@/lib/engine/tensor/quantize";
import { randn, seeded } from "../golden/random-model";

const x = randn(seeded(9), 4 * 256, 0.05);
const cases: [RawTensor["dtype"], Uint8Array][] = [["Q4_K", quantizeQ4_KRef(x)], ["Q6_K", quantizeQ6_KRef(x)], ["Q5_0", quantizeQ5_0(x)]];

describe("K-quant and legacy weights at load", () => {
  it.each(cases)("%s: a float32 layer holding the dequantized values", (dtype, bytes) => {
    const t: RawTensor = { name: "w", dtype, shape: [4, 256], bytes };
    const expected = toFloat32(dtype, bytes, x.length);
    expect(dequantizeAtLoad(t)).toEqual(expected);
    const W = linearFromTensor(t, "auto");
    expect(W.kind).toBe("f32");
    expect(W.kind === "f32" && Array.from(W.w)).toEqual(Array.from(expected));
  });

  it.each(cases)("%s: a Q8_0 layer when the loader quantizes to q8_0", (dtype, bytes) => {
    const W = linearFromTensor({ name: "w", dtype, shape: [4, 256], bytes }, "q8_0");
    expect(W.kind).toBe("q8_0");
    expect([W.rows, W.cols]).toEqual([4, 256]);
  });
});
