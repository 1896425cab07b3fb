/**
 * Element types the engine reads from model files, and conversions to float32.
 * Quantized blocks follow ggml: Q8_0 = f16 scale + 32 int8 (34 bytes per 32
 * values); Q4_0 = f16 scale + 16 bytes of nibbles (18 bytes per 32 values).
 */
export type DType = "F32" | "F16" | "BF16" | "Q8_0" | "Q4_0";

/** Values per quantization block (1 for plain float types). */
export const QK = 32;

/** Bytes needed to store `n` elements of `dtype` (n must be a multiple of 32 for quantized types). */
export function byteSize(dtype: DType, n: number): number {
  switch (dtype) {
    case "F32":
      return n * 4;
    case "F16":
    case "BF16":
      return n * 2;
    case "Q8_0":
      return (n / QK) * 34;
    case "Q4_0":
      return (n / QK) * 18;
  }
}

// A 65536-entry table makes f16 -> f32 one lookup; built once, 256 KiB.
let f16Table: Float32Array | null = null;

function f16BitsToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** The f16 -> f32 lookup table (index = the 16 raw bits). */
export function f16ToF32Table(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) f16Table[i] = f16BitsToFloat(i);
  }
  return f16Table;
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** Rounds a float32 to the nearest-even f16 bit pattern (same rounding as ggml's converter). */
export function f32ToF16Bits(x: number): number {
  f32Scratch[0] = x;
  const f = u32Scratch[0];
  const sign = (f >>> 16) & 0x8000;
  const exp = (f >>> 23) & 0xff;
  let mant = f & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** bf16 bits are the top half of an f32. */
export function bf16BitsToF32(b: number): number {
  u32Scratch[0] = b << 16;
  return f32Scratch[0];
}

/**
 * Decodes `n` elements of `dtype` starting at `bytes[0]` into a new Float32Array.
 * For F32 with 4-byte alignment the caller should prefer a zero-copy view.
 */
export function toFloat32(dtype: DType, bytes: Uint8Array, n: number): Float32Array {
  const out = new Float32Array(n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const t = f16ToF32Table();
  switch (dtype) {
    case "F32":
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
      return out;
    case "F16":
      for (let i = 0; i < n; i++) out[i] = t[dv.getUint16(i * 2, true)];
      return out;
    case "BF16":
      for (let i = 0; i < n; i++) out[i] = bf16BitsToF32(dv.getUint16(i * 2, true));
      return out;
    case "Q8_0":
      for (let b = 0; b < n / QK; b++) {
        const d = t[dv.getUint16(b * 34, true)];
        for (let j = 0; j < QK; j++) out[b * QK + j] = d * dv.getInt8(b * 34 + 2 + j);
      }
      return out;
    case "Q4_0":
      // Low nibbles hold elements 0..15 of the block, high nibbles 16..31; offset 8.
      for (let b = 0; b < n / QK; b++) {
        const d = t[dv.getUint16(b * 18, true)];
        for (let j = 0; j < 16; j++) {
          const q = bytes[b * 18 + 2 + j];
          out[b * QK + j] = ((q & 0x0f) - 8) * d;
          out[b * QK + j + 16] = ((q >> 4) - 8) * d;
        }
      }
      return out;
  }
}

/** A tensor as read from a file: row-major `shape` (outermost first) over raw bytes. */
export interface RawTensor {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** Number of elements of a shape. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/**
 * Float32 data of a raw tensor: a zero-copy view when the tensor is F32 and
 * 4-byte aligned in its buffer (on a little-endian host), otherwise a converted copy.
 */
export function tensorToFloat32(t: RawTensor): Float32Array {
  const n = numel(t.shape);
  if (t.dtype === "F32" && t.bytes.byteOffset % 4 === 0) {
    return new Float32Array(t.bytes.buffer, t.bytes.byteOffset, n);
  }
  return toFloat32(t.dtype, t.bytes, n);
}
