/**
 * Element types the engine reads from model files: their block layouts and
 * their conversion to float32 (one reference dequantizer per type).
 * Quantized types follow ggml's blocks (ggml-common.h):
 *   legacy, 32 values a block (quant-legacy.ts): Q8_0 34 B, Q4_0 18 B, Q4_1 20 B, Q5_0 22 B, Q5_1 24 B
 *   K-quants, 256-value super-blocks (k-quants.ts): Q4_K 144 B, Q5_K 176 B, Q6_K 210 B
 * Adding a type: a row here, its ggml id in formats/gguf/types.ts, and its dequantizer's test.
 */
import { bf16BitsToF32, f16ToF32Table } from "./f16";
import { Q4_K_BYTES, Q5_K_BYTES, Q6_K_BYTES, QK_K, dequantizeQ4_KRef, dequantizeQ5_KRef, dequantizeQ6_KRef } from "./k-quants";
import { QK_LEGACY, dequantizeQ4_0Ref, dequantizeQ4_1Ref, dequantizeQ5_0Ref, dequantizeQ5_1Ref, dequantizeQ8_0Ref } from "./quant-legacy";

// The f16 helpers live in f16.ts (the dequantizers need them without importing this
// file); they are re-exported so that existing importers keep one import path.
export { bf16BitsToF32, f16ToF32Table, f32ToF16Bits } from "./f16";

export type DType = "F32" | "F16" | "BF16" | "Q8_0" | "Q4_0" | "Q4_1" | "Q5_0" | "Q5_1" | "Q4_K" | "Q5_K" | "Q6_K";

/** How a type is stored: `blockBytes` bytes per block of `blockValues` values, and its reference dequantizer. */
export interface DTypeInfo {
  readonly blockValues: number;
  readonly blockBytes: number;
  /** out (n) <- bytes; n a multiple of blockValues; bytes need no alignment. */
  readonly dequantize: (out: Float32Array, bytes: Uint8Array, n: number) => void;
}

function dequantizeF32(out: Float32Array, bytes: Uint8Array, n: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
}

function dequantizeF16(out: Float32Array, bytes: Uint8Array, n: number): void {
  const t = f16ToF32Table();
  for (let i = 0; i < n; i++) out[i] = t[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
}

function dequantizeBF16(out: Float32Array, bytes: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = bf16BitsToF32(bytes[2 * i] | (bytes[2 * i + 1] << 8));
}

/** Every type the engine reads. */
export const DTYPES: Readonly<Record<DType, DTypeInfo>> = {
  F32: { blockValues: 1, blockBytes: 4, dequantize: dequantizeF32 },
  F16: { blockValues: 1, blockBytes: 2, dequantize: dequantizeF16 },
  BF16: { blockValues: 1, blockBytes: 2, dequantize: dequantizeBF16 },
  Q8_0: { blockValues: QK_LEGACY, blockBytes: 34, dequantize: dequantizeQ8_0Ref },
  Q4_0: { blockValues: QK_LEGACY, blockBytes: 18, dequantize: dequantizeQ4_0Ref },
  Q4_1: { blockValues: QK_LEGACY, blockBytes: 20, dequantize: dequantizeQ4_1Ref },
  Q5_0: { blockValues: QK_LEGACY, blockBytes: 22, dequantize: dequantizeQ5_0Ref },
  Q5_1: { blockValues: QK_LEGACY, blockBytes: 24, dequantize: dequantizeQ5_1Ref },
  Q4_K: { blockValues: QK_K, blockBytes: Q4_K_BYTES, dequantize: dequantizeQ4_KRef },
  Q5_K: { blockValues: QK_K, blockBytes: Q5_K_BYTES, dequantize: dequantizeQ5_KRef },
  Q6_K: { blockValues: QK_K, blockBytes: Q6_K_BYTES, dequantize: dequantizeQ6_KRef },
};

/** Bytes needed to store `n` elements of `dtype` (n must be a multiple of the type's block size). */
export function byteSize(dtype: DType, n: number): number {
  const t = DTYPES[dtype];
  return (n / t.blockValues) * t.blockBytes;
}

/**
 * Decodes `n` elements of `dtype` starting at `bytes[0]` into a new Float32Array.
 * For F32 with 4-byte alignment the caller should prefer a zero-copy view.
 */
export function toFloat32(dtype: DType, bytes: Uint8Array, n: number): Float32Array {
  const out = new Float32Array(n);
  DTYPES[dtype].dequantize(out, bytes, n);
  return out;
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

/**
 * The float32 weights a loader builds a layer from when the file's type has no
 * matmul kernel yet (BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K): they are
 * dequantized once here, at load, at 4 bytes a value. The K-quant and legacy
 * WASM dot kernels replace this for their types (issue 17).
 */
export function dequantizeAtLoad(t: RawTensor): Float32Array {
  return tensorToFloat32(t);
}
