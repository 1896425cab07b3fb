import { describe, expect, it } from "vitest";
import { bf16BitsToF32, f16ToF32Table, f32ToF16Bits } from "@/lib/engine/tensor/dtype";

describe("f16 conversions", () => {
  it("round-trips every finite f16 value exactly", () => {
    const t = f16ToF32Table();
    for (let h = 0; h < 65536; h++) {
      if (((h >> 10) & 0x1f) === 31) continue; // inf / NaN
      const back = f32ToF16Bits(t[h]);
      // -0 and +0 are distinct bit patterns and both round-trip.
      if (back !== h) throw new Error(`f16 0x${h.toString(16)} -> ${t[h]} -> 0x${back.toString(16)}`);
    }
  });

  it("rounds halfway cases to even, overflows to infinity and keeps subnormals", () => {
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway between 1 and next: even (1)
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, rounds up to even
    expect(f32ToF16Bits(65520)).toBe(0x7c00);
    expect(f32ToF16Bits(-1e9)).toBe(0xfc00);
    expect(f32ToF16Bits(2 ** -24)).toBe(0x0001);
    expect(f32ToF16Bits(2 ** -26)).toBe(0);
    expect(Number.isNaN(f16ToF32Table()[f32ToF16Bits(NaN)])).toBe(true);
  });

  it("reads bf16 as the top half of an f32", () => {
    expect(bf16BitsToF32(0x3fc0)).toBe(1.5);
    expect(bf16BitsToF32(0xc380)).toBe(-256);
  });
});
