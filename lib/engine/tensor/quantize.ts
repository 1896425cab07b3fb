/** Float32 -> F16 / Q8_0 / Q5_0 encoders (ggml block layout, same rounding as ggml's reference quantizer). */
import { check } from "@/lib/engine/errors";
import { f32ToF16Bits, f16ToF32Table } from "./f16";
import { QK_LEGACY as QK } from "./quant-legacy";

/** Encodes float32 values as little-endian f16 bytes. */
export function encodeF16(x: Float32Array): Uint8Array {
  const out = new Uint8Array(x.length * 2);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < x.length; i++) dv.setUint16(i * 2, f32ToF16Bits(x[i]), true);
  return out;
}

/**
 * Quantizes to Q8_0: per 32-value block, d = max|x| / 127 stored as f16, q = round(x / d).
 * `x.length` must be a multiple of 32. Returns (n/32) * 34 bytes.
 */
export function quantizeQ8_0(x: Float32Array): Uint8Array {
  check(x.length % QK === 0, `Q8_0 needs a multiple of ${QK} values, got ${x.length}`);
  const nb = x.length / QK;
  const out = new Uint8Array(nb * 34);
  const dv = new DataView(out.buffer);
  for (let b = 0; b < nb; b++) {
    let amax = 0;
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[b * QK + j]));
    const d = Math.fround(amax / 127);
    const id = d ? Math.fround(1 / d) : 0;
    dv.setUint16(b * 34, f32ToF16Bits(d), true);
    for (let j = 0; j < QK; j++) {
      const v = Math.fround(x[b * QK + j] * id);
      // roundf: half away from zero.
      dv.setInt8(b * 34 + 2 + j, Math.sign(v) * Math.round(Math.abs(v)));
    }
  }
  return out;
}

/**
 * Quantizes to Q5_0 like ggml's quantize_row_q5_0_ref: per 32-value block,
 * d = max / -16 (max = the value of largest magnitude) stored as f16, and
 * q = min(31, trunc(x / d + 16.5)) (layout: quant-legacy.ts). llama.cpp's
 * Q4_K_M falls back to it for rows whose length is not a multiple of 256.
 * `x.length` must be a multiple of 32. Returns (n/32) * 22 bytes.
 */
export function quantizeQ5_0(x: Float32Array): Uint8Array {
  check(x.length % QK === 0, `Q5_0 needs a multiple of ${QK} values, got ${x.length}`);
  const nb = x.length / QK;
  const out = new Uint8Array(nb * 22);
  for (let b = 0; b < nb; b++) {
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK; j++) {
      const v = x[b * QK + j];
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = Math.fround(max / -16);
    const id = d ? Math.fround(1 / d) : 0;
    const o = b * 22;
    const dBits = f32ToF16Bits(d);
    out[o] = dBits & 0xff;
    out[o + 1] = dBits >> 8;
    let qh = 0;
    for (let j = 0; j < 16; j++) {
      const q0 = Math.min(31, Math.trunc(Math.fround(Math.fround(x[b * QK + j] * id) + 16.5)));
      const q1 = Math.min(31, Math.trunc(Math.fround(Math.fround(x[b * QK + j + 16] * id) + 16.5)));
      out[o + 6 + j] = (q0 & 0x0f) | ((q1 & 0x0f) << 4);
      qh |= ((q0 >> 4) << j) | ((q1 >> 4) << (j + 16));
    }
    out[o + 2] = qh & 0xff;
    out[o + 3] = (qh >>> 8) & 0xff;
    out[o + 4] = (qh >>> 16) & 0xff;
    out[o + 5] = (qh >>> 24) & 0xff;
  }
  return out;
}

/**
 * Splits Q8_0 bytes into per-block scales (float32) and int8 quants, the layout
 * the Q8_0 matmul kernel reads. rows*cols values, cols a multiple of 32.
 */
export function unpackQ8_0(bytes: Uint8Array, n: number): { scales: Float32Array; quants: Int8Array } {
  // QK read once: an imported binding in a hot loop can compile to a getter call
  // (CommonJS interop), which made this loop ~5x slower.
  const qk = QK;
  const nb = n / qk;
  const scales = new Float32Array(nb);
  const quants = new Int8Array(n);
  const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const t = f16ToF32Table();
  for (let b = 0, src = 0, dst = 0; b < nb; b++, src += qk + 2, dst += qk) {
    scales[b] = t[bytes[src] | (bytes[src + 1] << 8)];
    for (let j = 0; j < qk; j++) quants[dst + j] = signed[src + 2 + j];
  }
  return { scales, quants };
}
