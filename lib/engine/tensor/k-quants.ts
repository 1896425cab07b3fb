/**
 * Reference dequantizers for ggml's K-quants: super-blocks of 256 values
 * (ggml-common.h). All: out (n) <- bytes (n/256 super-blocks); n a multiple of 256.
 *
 * Q4_K (144 B): d (f16), dmin (f16), scales[12], qs[128]
 *   8 sub-blocks of 32 values, each with a 6-bit scale sc and 6-bit min m
 *   packed in `scales` (see scaleMinK4); x = d*sc*q - dmin*m, q 4 bits.
 *   Values 64c..64c+31 are the low nibbles of qs[32c..32c+31], values
 *   64c+32..64c+63 their high nibbles (c = 0..3).
 * Q5_K (176 B): d, dmin, scales[12], qh[32], qs[128]
 *   as Q4_K, q gains a fifth bit: bit 2c of qh[l] for value 64c+l, bit 2c+1
 *   for value 64c+32+l.
 * Q6_K (210 B): ql[128], qh[64], scales[16] (int8), d (f16)
 *   16 sub-blocks of 16 values; x = d*scale*(q - 32), q 6 bits. In each half
 *   h (128 values, ql+64h, qh+32h), for l < 32: values l, l+32, l+64, l+96
 *   take the low nibble of ql[l], the low nibble of ql[l+32], the high nibble
 *   of ql[l] and the high nibble of ql[l+32], with bits 0-1, 2-3, 4-5, 6-7 of qh[l]
 *   on top; value v of the half uses scales[8h + v/16].
 */
import { f16ToF32Table } from "./f16";

/** Values per K-quant super-block. */
export const QK_K = 256;

/** Bytes of one super-block. */
export const Q4_K_BYTES = 144;
export const Q5_K_BYTES = 176;
export const Q6_K_BYTES = 210;

/**
 * Scale and min of sub-block j (0..7) from the 12 packed bytes at s[o]:
 * j < 4: low 6 bits of bytes j and j+4; j >= 4: low/high nibble of byte j+4
 * plus the top two bits of bytes j-4 (scale) and j (min) as bits 4-5.
 */
export function scaleMinK4(s: Uint8Array, o: number, j: number): { sc: number; m: number } {
  if (j < 4) return { sc: s[o + j] & 63, m: s[o + j + 4] & 63 };
  return {
    sc: (s[o + j + 4] & 0x0f) | ((s[o + j - 4] >> 6) << 4),
    m: (s[o + j + 4] >> 4) | ((s[o + j] >> 6) << 4),
  };
}

function half(t: Float32Array, b: Uint8Array, o: number): number {
  return t[b[o] | (b[o + 1] << 8)];
}

/** Q4_K: x = d*sc*q - dmin*m per 32-value sub-block. */
export function dequantizeQ4_KRef(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  for (let b = 0, o = 0; b < n / QK_K; b++, o += Q4_K_BYTES) {
    const d = half(t, bytes, o);
    const dmin = half(t, bytes, o + 2);
    for (let c = 0; c < 4; c++) {
      const lo = scaleMinK4(bytes, o + 4, 2 * c);
      const hi = scaleMinK4(bytes, o + 4, 2 * c + 1);
      // float32 products as ggml forms them: d*sc and dmin*m first
      const [d1, m1, d2, m2] = [Math.fround(d * lo.sc), Math.fround(dmin * lo.m), Math.fround(d * hi.sc), Math.fround(dmin * hi.m)];
      const qs = o + 16 + 32 * c;
      const y = b * QK_K + 64 * c;
      for (let l = 0; l < 32; l++) {
        out[y + l] = d1 * (bytes[qs + l] & 0x0f) - m1;
        out[y + 32 + l] = d2 * (bytes[qs + l] >> 4) - m2;
      }
    }
  }
}

/** Q5_K: as Q4_K with a fifth bit per value from qh. */
export function dequantizeQ5_KRef(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  for (let b = 0, o = 0; b < n / QK_K; b++, o += Q5_K_BYTES) {
    const d = half(t, bytes, o);
    const dmin = half(t, bytes, o + 2);
    const qh = o + 16;
    for (let c = 0; c < 4; c++) {
      const lo = scaleMinK4(bytes, o + 4, 2 * c);
      const hi = scaleMinK4(bytes, o + 4, 2 * c + 1);
      const [d1, m1, d2, m2] = [Math.fround(d * lo.sc), Math.fround(dmin * lo.m), Math.fround(d * hi.sc), Math.fround(dmin * hi.m)];
      const qs = o + 48 + 32 * c;
      const y = b * QK_K + 64 * c;
      for (let l = 0; l < 32; l++) {
        const h = bytes[qh + l];
        out[y + l] = d1 * ((bytes[qs + l] & 0x0f) | (((h >> (2 * c)) & 1) << 4)) - m1;
        out[y + 32 + l] = d2 * ((bytes[qs + l] >> 4) | (((h >> (2 * c + 1)) & 1) << 4)) - m2;
      }
    }
  }
}

/** Q6_K: x = d*scale*(q - 32) per 16-value sub-block. */
export function dequantizeQ6_KRef(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  const ds = new Float32Array(16); // d * scale of each sub-block, a float32 product as ggml forms it
  for (let b = 0, o = 0; b < n / QK_K; b++, o += Q6_K_BYTES) {
    const d = half(t, bytes, o + 208);
    for (let i = 0; i < 16; i++) ds[i] = d * ((bytes[o + 192 + i] << 24) >> 24);
    for (let h = 0; h < 2; h++) {
      const ql = o + 64 * h;
      const qh = o + 128 + 32 * h;
      const y = b * QK_K + 128 * h;
      for (let l = 0; l < 32; l++) {
        const a = bytes[ql + l];
        const c = bytes[ql + l + 32];
        const hb = bytes[qh + l];
        const s = 8 * h + (l >> 4); // sub-block of value l; +2 per 32 values
        out[y + l] = ds[s] * (((a & 0x0f) | ((hb & 3) << 4)) - 32);
        out[y + l + 32] = ds[s + 2] * (((c & 0x0f) | (((hb >> 2) & 3) << 4)) - 32);
        out[y + l + 64] = ds[s + 4] * (((a >> 4) | (((hb >> 4) & 3) << 4)) - 32);
        out[y + l + 96] = ds[s + 6] * (((c >> 4) | (((hb >> 6) & 3) << 4)) - 32);
      }
    }
  }
}
