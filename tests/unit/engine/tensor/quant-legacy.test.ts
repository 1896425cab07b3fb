/**
 * Legacy 32-value blocks, written byte by byte from ggml's layout
 * (ggml-common.h: Q8_0, Q4_1, Q5_0, Q5_1), with the expected values worked out
 * by hand from the same layout.
 */
import { describe, expect, it } from "vitest";
import { toFloat32 } from "@/lib/engine/tensor/dtype";

// f16 bit patterns: 0x3400 = 0.25, 0x3800 = 0.5, 0x3c00 = 1, 0x4000 = 2, 0xbc00 = -1
describe("legacy block dequantizers", () => {
  it("Q8_0: x = d * q with q a signed byte", () => {
    const b = new Uint8Array(34);
    b.set([0x00, 0x38]); // d = 0.5
    b.set([0x01, 0xff, 0x7f, 0x80, 0x00], 2); // q = 1, -1, 127, -128, 0
    const x = toFloat32("Q8_0", b, 32);
    expect(Array.from(x.subarray(0, 5))).toEqual([0.5, -0.5, 63.5, -64, 0]);
  });

  it("Q4_1: x = d * q + m; byte j holds value j (low nibble) and value j+16 (high nibble)", () => {
    const b = new Uint8Array(20);
    b.set([0x00, 0x38, 0x00, 0xbc]); // d = 0.5, m = -1
    for (let j = 0; j < 16; j++) b[4 + j] = j | ((15 - j) << 4);
    const x = toFloat32("Q4_1", b, 32);
    expect([x[0], x[1], x[15], x[16], x[17], x[31]]).toEqual([-1, -0.5, 6.5, 6.5, 6, -1]);
    for (let j = 0; j < 16; j++) {
      expect(x[j]).toBe(j * 0.5 - 1);
      expect(x[j + 16]).toBe((15 - j) * 0.5 - 1);
    }
  });

  it("Q5_0: x = d * (q - 16), the fifth bit of value k is bit k of the little-endian u32 qh", () => {
    const b = new Uint8Array(22);
    b.set([0x00, 0x34]); // d = 0.25
    b.set([0x55, 0x55, 0xaa, 0xaa], 2); // qh = 0xaaaa5555: bits 0, 2, ..., 14 and 17, 19, ..., 31
    for (let j = 0; j < 16; j++) b[6 + j] = j | ((15 - j) << 4);
    const x = toFloat32("Q5_0", b, 32);
    // value 0: nibble 0 + 16 -> 0; value 1: 1 -> -15 * 0.25; value 16: nibble 15, no bit -> -1 * 0.25;
    // value 17: nibble 14 + 16 = 30 -> 14 * 0.25; value 31: nibble 0 + 16 -> 0
    expect([x[0], x[1], x[16], x[17], x[31]]).toEqual([0, -3.75, -0.25, 3.5, 0]);
    for (let j = 0; j < 16; j++) {
      expect(x[j]).toBe(((j | (j % 2 === 0 ? 16 : 0)) - 16) * 0.25);
      expect(x[j + 16]).toBe((((15 - j) | (j % 2 === 1 ? 16 : 0)) - 16) * 0.25);
    }
  });

  it("Q5_1: x = d * q + m, q 5 bits, no offset", () => {
    const b = new Uint8Array(24);
    b.set([0x00, 0x40, 0x00, 0x38]); // d = 2, m = 0.5
    b.set([0xff, 0xff, 0x00, 0x00], 4); // qh: the fifth bit set for values 0..15 only
    for (let j = 0; j < 16; j++) b[8 + j] = 3 | (9 << 4);
    const x = toFloat32("Q5_1", b, 32);
    for (let j = 0; j < 16; j++) {
      expect(x[j]).toBe(19 * 2 + 0.5);
      expect(x[j + 16]).toBe(9 * 2 + 0.5);
    }
  });

  it("reads blocks that start at an odd byte offset", () => {
    const buf = new Uint8Array(1 + 20);
    buf.set([0x00, 0x3c, 0x00, 0x00], 1); // Q4_1: d = 1, m = 0
    buf[5] = 0x72; // value 0 = 2, value 16 = 7
    const x = toFloat32("Q4_1", buf.subarray(1), 32);
    expect([x[0], x[16]]).toEqual([2, 7]);
  });
});
