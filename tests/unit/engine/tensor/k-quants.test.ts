/**
 * K-quant super-blocks written byte by byte from ggml's layout (ggml-common.h,
 * block_q4_K / block_q5_K / block_q6_K), with the expected values worked out
 * by hand from the same layout.
 */
import { describe, expect, it } from "vitest";
import { toFloat32 } from "@/lib/engine/tensor/dtype";
import { scaleMinK4 } from "@/lib/engine/tensor/k-quants";

// Sub-block scales and mins (6 bits each) of the test blocks, and their 12 packed bytes:
// j < 4: byte j = sc[j] | (sc[j+4] >> 4) << 6, byte j+4 = m[j] | (m[j+4] >> 4) << 6;
// byte j+8 = (sc[j+4] & 15) | (m[j+4] & 15) << 4.
const SC = [1, 2, 3, 63, 17, 33, 48, 5];
const M = [0, 7, 60, 1, 20, 36, 9, 63];
const PACKED = [
  1 | (1 << 6), 2 | (2 << 6), 3 | (3 << 6), 63, // sc 1..3, 63 with the top bits of 17, 33, 48, 5
  0 | (1 << 6), 7 | (2 << 6), 60, 1 | (3 << 6), // m 0, 7, 60, 1 with the top bits of 20, 36, 9, 63
  1 | (4 << 4), 1 | (4 << 4), 0 | (9 << 4), 5 | (15 << 4), // low nibbles of (17, 20), (33, 36), (48, 9), (5, 63)
];

/** A Q4_K block (144 B): d = 1 (0x3c00), dmin = 0.5 (0x3800); qs[32c + l] = (l & 15) | (15 - (l & 15)) << 4. */
function q4kBlock(): Uint8Array {
  const b = new Uint8Array(144);
  b.set([0x00, 0x3c, 0x00, 0x38]);
  b.set(PACKED, 4);
  for (let i = 0; i < 128; i++) b[16 + i] = (i & 15) | ((15 - (i & 15)) << 4);
  return b;
}

describe("K-quant dequantizers", () => {
  it("unpacks the 6-bit scales and mins of the 8 sub-blocks", () => {
    const s = Uint8Array.from(PACKED);
    for (let j = 0; j < 8; j++) expect(scaleMinK4(s, 0, j)).toEqual({ sc: SC[j], m: M[j] });
  });

  it("Q4_K: x = d*sc*q - dmin*m; values 64c..64c+31 are low nibbles, 64c+32.. high nibbles of qs[32c..]", () => {
    const x = toFloat32("Q4_K", q4kBlock(), 256);
    // x[1]: sub-block 0, q 1 -> 1*1*1 - 0; x[32]: sub-block 1, q 15 -> 2*15 - 0.5*7;
    // x[67]: sub-block 2, q 3 -> 3*3 - 0.5*60; x[255]: sub-block 7, q 0 -> -0.5*63
    expect([x[0], x[1], x[32], x[67], x[255]]).toEqual([0, 1, 26.5, -21, -31.5]);
    for (let c = 0; c < 4; c++) {
      for (let l = 0; l < 32; l++) {
        expect(x[64 * c + l]).toBe(SC[2 * c] * (l & 15) - 0.5 * M[2 * c]);
        expect(x[64 * c + 32 + l]).toBe(SC[2 * c + 1] * (15 - (l & 15)) - 0.5 * M[2 * c + 1]);
      }
    }
  });

  it("Q5_K: as Q4_K with bit 2c (low half) or 2c+1 (high half) of qh[l] as the fifth bit", () => {
    const q4 = q4kBlock();
    const b = new Uint8Array(176);
    b.set(q4.subarray(0, 16)); // d, dmin, scales
    for (let l = 0; l < 32; l++) b[16 + l] = l * 7; // qh
    b.set(q4.subarray(16), 48); // qs
    const x = toFloat32("Q5_K", b, 256);
    // x[33]: sub-block 1, nibble 14, qh[1] = 7 has bit 1 -> q 30: 2*30 - 3.5
    expect(x[33]).toBe(56.5);
    for (let c = 0; c < 4; c++) {
      for (let l = 0; l < 32; l++) {
        const h = (l * 7) & 0xff;
        expect(x[64 * c + l]).toBe(SC[2 * c] * ((l & 15) + 16 * ((h >> (2 * c)) & 1)) - 0.5 * M[2 * c]);
        expect(x[64 * c + 32 + l]).toBe(SC[2 * c + 1] * (15 - (l & 15) + 16 * ((h >> (2 * c + 1)) & 1)) - 0.5 * M[2 * c + 1]);
      }
    }
  });

  it("Q6_K: x = d*scale*(q - 32); ql low/high nibbles and qh bit pairs in ggml's order", () => {
    const b = new Uint8Array(210);
    b.fill(0x21, 0, 128); // ql: low nibble 1, high nibble 2
    b.fill(0b11100100, 128, 192); // qh: bit pairs 0, 1, 2, 3
    for (let i = 0; i < 16; i++) b[192 + i] = (i - 8) & 0xff; // scales -8..7 (int8)
    b.set([0x00, 0x38], 208); // d = 0.5
    b[64 + 5] = 0x9c; // second half, ql[5]: low nibble 12 (value 128+5), high 9 (value 128+64+5)
    const x = toFloat32("Q6_K", b, 256);
    // In each half, values 0..31 take low ql[l] + pair 0 -> q 1; 32..63 low ql[l+32] + pair 1 -> 17;
    // 64..95 high ql[l] + pair 2 -> 34; 96..127 high ql[l+32] + pair 3 -> 50.
    const q = [1 - 32, 17 - 32, 34 - 32, 50 - 32];
    for (let v = 0; v < 256; v++) {
      const h = v >> 7;
      const inHalf = v & 127;
      let qv = q[inHalf >> 5];
      if (v === 128 + 5) qv = 12 - 32;
      if (v === 128 + 64 + 5) qv = 9 + 32 - 32;
      expect(x[v]).toBe(0.5 * ((v >> 4) - 8) * qv);
      expect(h * 128 + inHalf).toBe(v);
    }
    expect([x[0], x[40], x[133], x[197]]).toEqual([0.5 * -8 * -31, 0.5 * -6 * -15, 0.5 * 0 * -20, 0.5 * 4 * 9]);
  });
});
