/**
 * Reference dequantizers for ggml's legacy 32-value blocks (ggml-common.h).
 * Each block j holds values 32j..32j+31; byte k of `qs` packs value k (low
 * nibble) and value k+16 (high nibble). Scales are little-endian f16.
 *   Q8_0 (34 B): d, int8 q[32]                       x = d*q
 *   Q4_0 (18 B): d, qs[16]                           x = d*(q - 8)
 *   Q4_1 (20 B): d, m, qs[16]                        x = d*q + m
 *   Q5_0 (22 B): d, qh (u32), qs[16]                 x = d*(q - 16)
 *   Q5_1 (24 B): d, m, qh (u32), qs[16]              x = d*q + m
 * For the 5-bit types, bit k of qh is the fifth bit of value k.
 * All: out (n) <- bytes (n/32 blocks); n a multiple of 32.
 */
import { f16ToF32Table } from "./f16";

/** Values per legacy block. */
export const QK_LEGACY = 32;

/** The f16 at bytes[o], little-endian, unaligned. */
function half(t: Float32Array, b: Uint8Array, o: number): number {
  return t[b[o] | (b[o + 1] << 8)];
}

/** The u32 at bytes[o], little-endian, unaligned. */
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** Q8_0: x = d * q, q int8. */
export function dequantizeQ8_0Ref(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  for (let b = 0, o = 0; b < n / QK_LEGACY; b++, o += 34) {
    const d = half(t, bytes, o);
    for (let j = 0; j < 32; j++) out[b * 32 + j] = d * ((bytes[o + 2 + j] << 24) >> 24);
  }
}

/** Q4_0: x = d * (q - 8), q the nibble. */
export function dequantizeQ4_0Ref(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  for (let b = 0, o = 0; b < n / QK_LEGACY; b++, o += 18) {
    const d = half(t, bytes, o);
    for (let j = 0; j < 16; j++) {
      const q = bytes[o + 2 + j];
      out[b * 32 + j] = ((q & 0x0f) - 8) * d;
      out[b * 32 + j + 16] = ((q >> 4) - 8) * d;
    }
  }
}

/** Q4_1: x = d * q + m, q the nibble. */
export function dequantizeQ4_1Ref(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  for (let b = 0, o = 0; b < n / QK_LEGACY; b++, o += 20) {
    const d = half(t, bytes, o);
    const m = half(t, bytes, o + 2);
    for (let j = 0; j < 16; j++) {
      const q = bytes[o + 4 + j];
      out[b * 32 + j] = (q & 0x0f) * d + m;
      out[b * 32 + j + 16] = (q >> 4) * d + m;
    }
  }
}

/** The 5-bit quants of one block: nibble from qs, fifth bit from qh; `qs` at o. Writes q[0..32). */
function fiveBit(q: Int32Array, bytes: Uint8Array, qh: number, o: number): void {
  for (let j = 0; j < 16; j++) {
    const byte = bytes[o + j];
    q[j] = (byte & 0x0f) | (((qh >>> j) & 1) << 4);
    q[j + 16] = (byte >> 4) | (((qh >>> (j + 16)) & 1) << 4);
  }
}

/** Q5_0: x = d * (q - 16), q 5 bits. */
export function dequantizeQ5_0Ref(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  const q = new Int32Array(32);
  for (let b = 0, o = 0; b < n / QK_LEGACY; b++, o += 22) {
    const d = half(t, bytes, o);
    fiveBit(q, bytes, u32(bytes, o + 2), o + 6);
    for (let j = 0; j < 32; j++) out[b * 32 + j] = (q[j] - 16) * d;
  }
}

/** Q5_1: x = d * q + m, q 5 bits. */
export function dequantizeQ5_1Ref(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  const q = new Int32Array(32);
  for (let b = 0, o = 0; b < n / QK_LEGACY; b++, o += 24) {
    const d = half(t, bytes, o);
    const m = half(t, bytes, o + 2);
    fiveBit(q, bytes, u32(bytes, o + 4), o + 8);
    for (let j = 0; j < 32; j++) out[b * 32 + j] = q[j] * d + m;
  }
}
