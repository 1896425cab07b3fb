/**
 * GGUF v3 writer: typed metadata (incl. tokenizer.ggml.* arrays and the chat
 * template) and F32 / F16 / Q8_0 / Q5_0 / Q4_K / Q6_K tensors, aligned as
 * llama.cpp expects. Quantized tensors are encoded with ggml's reference
 * quantizers (bit-identical to llama-quantize without an importance matrix).
 */
import { EngineError, check } from "@/lib/engine/errors";
import type { DType } from "@/lib/engine/tensor/dtype";
import { DTYPES, byteSize, numel } from "@/lib/engine/tensor/dtype";
import { quantizeQ4_KRef, quantizeQ6_KRef } from "@/lib/engine/tensor/k-quantize";
import { encodeF16, quantizeQ5_0, quantizeQ8_0 } from "@/lib/engine/tensor/quantize";
import type { GgufScalar, GgufTypedValue } from "./types";
import { GGML_TYPE_ID, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgufValueType } from "./types";

/** The types the writer encodes. */
export type GgufWriteDType = Extract<DType, "F32" | "F16" | "Q8_0" | "Q5_0" | "Q4_K" | "Q6_K">;

/** A tensor to write: float32 data with a row-major shape, encoded as `dtype`. */
export interface GgufTensorInput {
  name: string;
  shape: readonly number[];
  data: Float32Array;
  dtype: GgufWriteDType;
}

class Sink {
  private chunks: Uint8Array[] = [];
  private cur = new Uint8Array(1 << 16);
  private dv = new DataView(this.cur.buffer);
  private p = 0;
  length = 0;
  private readonly enc = new TextEncoder();
  private room(n: number) {
    if (this.p + n > this.cur.length) {
      this.chunks.push(this.cur.subarray(0, this.p));
      this.cur = new Uint8Array(Math.max(1 << 16, n));
      this.dv = new DataView(this.cur.buffer);
      this.p = 0;
    }
  }
  u8(v: number) { this.room(1); this.dv.setUint8(this.p, v); this.p += 1; this.length += 1; }
  i8(v: number) { this.room(1); this.dv.setInt8(this.p, v); this.p += 1; this.length += 1; }
  u16(v: number) { this.room(2); this.dv.setUint16(this.p, v, true); this.p += 2; this.length += 2; }
  i16(v: number) { this.room(2); this.dv.setInt16(this.p, v, true); this.p += 2; this.length += 2; }
  u32(v: number) { this.room(4); this.dv.setUint32(this.p, v, true); this.p += 4; this.length += 4; }
  i32(v: number) { this.room(4); this.dv.setInt32(this.p, v, true); this.p += 4; this.length += 4; }
  f32(v: number) { this.room(4); this.dv.setFloat32(this.p, v, true); this.p += 4; this.length += 4; }
  f64(v: number) { this.room(8); this.dv.setFloat64(this.p, v, true); this.p += 8; this.length += 8; }
  u64(v: number | bigint) { this.room(8); this.dv.setBigUint64(this.p, BigInt(v), true); this.p += 8; this.length += 8; }
  i64(v: number | bigint) { this.room(8); this.dv.setBigInt64(this.p, BigInt(v), true); this.p += 8; this.length += 8; }
  raw(b: Uint8Array) { this.room(b.length); this.cur.set(b, this.p); this.p += b.length; this.length += b.length; }
  str(s: string) { const b = this.enc.encode(s); this.u64(b.length); this.raw(b); }
  pad(alignment: number) { while (this.length % alignment) this.u8(0); }
  finish(): Uint8Array {
    this.chunks.push(this.cur.subarray(0, this.p));
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) { out.set(c, o); o += c.length; }
    return out;
  }
}

function writeScalar(s: Sink, type: GgufValueType, v: GgufScalar, key: string): void {
  const num = () => {
    if (typeof v !== "number" && typeof v !== "bigint") throw new EngineError(`metadata "${key}": expected a number, got ${typeof v}`);
    return Number(v);
  };
  switch (type) {
    case GgufValueType.UINT8: return s.u8(num());
    case GgufValueType.INT8: return s.i8(num());
    case GgufValueType.UINT16: return s.u16(num());
    case GgufValueType.INT16: return s.i16(num());
    case GgufValueType.UINT32: return s.u32(num());
    case GgufValueType.INT32: return s.i32(num());
    case GgufValueType.FLOAT32: return s.f32(num());
    case GgufValueType.FLOAT64: return s.f64(num());
    case GgufValueType.UINT64: check(typeof v === "number" || typeof v === "bigint", `metadata "${key}": expected an integer`); return s.u64(v);
    case GgufValueType.INT64: check(typeof v === "number" || typeof v === "bigint", `metadata "${key}": expected an integer`); return s.i64(v);
    case GgufValueType.BOOL: check(typeof v === "boolean", `metadata "${key}": expected a boolean`); return s.u8(v ? 1 : 0);
    case GgufValueType.STRING: check(typeof v === "string", `metadata "${key}": expected a string`); return s.str(v);
    default: throw new EngineError(`metadata "${key}": unknown value type ${type}`);
  }
}

function encodeTensor(t: GgufTensorInput): Uint8Array {
  switch (t.dtype) {
    case "F32": return new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength));
    case "F16": return encodeF16(t.data);
    case "Q8_0": return quantizeQ8_0(t.data);
    case "Q5_0": return quantizeQ5_0(t.data);
    case "Q4_K": return quantizeQ4_KRef(t.data);
    case "Q6_K": return quantizeQ6_KRef(t.data);
  }
}

/**
 * Serializes a GGUF v3 file. Metadata keys are written in the given order;
 * `general.alignment` (if present) sets the data alignment.
 * @throws EngineError when a tensor's data length does not match its shape or a row is not a whole number of the type's blocks (32 values; 256 for Q4_K / Q6_K).
 */
export function writeGguf(metadata: ReadonlyArray<readonly [string, GgufTypedValue]>, tensors: readonly GgufTensorInput[]): Uint8Array {
  const alignEntry = metadata.find(([k]) => k === "general.alignment");
  const alignment = alignEntry ? Number(alignEntry[1].value) : GGUF_DEFAULT_ALIGNMENT;
  const s = new Sink();
  s.u32(GGUF_MAGIC);
  s.u32(GGUF_VERSION);
  s.u64(tensors.length);
  s.u64(metadata.length);
  for (const [key, tv] of metadata) {
    s.str(key);
    s.u32(tv.type);
    if (tv.type === GgufValueType.ARRAY) {
      s.u32(tv.itemType);
      s.u64(tv.value.length);
      for (const v of tv.value) writeScalar(s, tv.itemType, v, key);
    } else {
      writeScalar(s, tv.type, tv.value, key);
    }
  }
  const encoded: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    const n = numel(t.shape);
    check(t.data.length === n, `tensor "${t.name}": data has ${t.data.length} values but shape ${JSON.stringify(t.shape)} needs ${n}`);
    const rowLen = t.shape[t.shape.length - 1];
    const block = DTYPES[t.dtype].blockValues;
    check(rowLen % block === 0, `tensor "${t.name}": ${t.dtype} row length ${rowLen} is not a multiple of ${block}`);
    const bytes = encodeTensor(t);
    check(bytes.length === byteSize(t.dtype, n), `tensor "${t.name}": encoded size mismatch`);
    s.str(t.name);
    s.u32(t.shape.length);
    for (let d = t.shape.length - 1; d >= 0; d--) s.u64(t.shape[d]); // ne[0] is the innermost dim
    s.u32(GGML_TYPE_ID[t.dtype]);
    s.u64(offset);
    encoded.push(bytes);
    offset += Math.ceil(bytes.length / alignment) * alignment;
  }
  s.pad(alignment);
  for (const b of encoded) {
    s.raw(b);
    s.pad(alignment);
  }
  return s.finish();
}
