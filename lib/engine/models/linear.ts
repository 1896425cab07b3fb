/**
 * A linear layer's weight W (rows, cols) — one row per output — stored as
 * float32, f16 bits, or Q8_0 (int8 + one scale per 32 values), and the
 * helpers that build one from a RawTensor. The model's kernel backend
 * (kernels/backend) runs the products: x (B, cols) -> out (B, rows).
 */
import { check } from "@/lib/engine/errors";
import type { Linear } from "@/lib/engine/kernels/backend/types";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import { dequantizeAtLoad } from "@/lib/engine/tensor/dtype";
import { quantizeQ8_0, unpackQ8_0 } from "@/lib/engine/tensor/quantize";

export type { Linear };

/** How to keep weights in memory: as in the file, or quantized to Q8_0 at load. */
export type WeightFormat = "auto" | "f32" | "q8_0";

/** Checks a tensor's row-major shape; the error names the tensor and both shapes. */
export function expectShape(t: RawTensor | undefined, name: string, shape: readonly number[], source: string): RawTensor {
  check(t, `missing tensor "${name}"`, source);
  check(
    t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i]),
    `tensor "${name}" has shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(shape)}`,
    source,
  );
  return t;
}

/** Builds a Linear from float32 data (rows, cols), quantizing when asked and cols allows it. */
export function linearFromF32(w: Float32Array, rows: number, cols: number, format: WeightFormat): Linear {
  if (format === "q8_0" && cols % 32 === 0) {
    return { kind: "q8_0", rows, cols, ...unpackQ8_0(quantizeQ8_0(w), rows * cols) };
  }
  return { kind: "f32", rows, cols, w };
}

/** Builds a Linear from a file tensor of shape (rows, cols); F16 stays F16 and Q8_0 stays Q8_0 under "auto". */
export function linearFromTensor(t: RawTensor, format: WeightFormat): Linear {
  const [rows, cols] = t.shape;
  if (format === "auto" && t.dtype === "Q8_0") return { kind: "q8_0", rows, cols, ...unpackQ8_0(t.bytes, rows * cols) };
  if (format === "auto" && t.dtype === "F16" && t.bytes.byteOffset % 2 === 0) {
    return { kind: "f16", rows, cols, bits: new Uint16Array(t.bytes.buffer, t.bytes.byteOffset, rows * cols) };
  }
  if (format === "q8_0" && t.dtype === "Q8_0") return { kind: "q8_0", rows, cols, ...unpackQ8_0(t.bytes, rows * cols) };
  // BF16 and the K-quant / legacy types (Q4_0 ... Q6_K) have no kernel yet: float32 at load
  return linearFromF32(dequantizeAtLoad(t), rows, cols, format === "q8_0" ? "q8_0" : "f32");
}
