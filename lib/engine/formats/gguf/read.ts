/**
 * GGUF v3 reader: header, metadata key/values (all types incl. arrays),
 * tensor infos, alignment, and tensor data as views into the input buffer.
 * Quantized tensors stay quantized (RawTensor.bytes); use tensorToFloat32 to dequantize.
 */
import { EngineError, check } from "@/lib/engine/errors";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import { DTYPES, byteSize, numel } from "@/lib/engine/tensor/dtype";
import type { GgufScalar, GgufValue } from "./types";
import { GGML_TYPE_BY_ID, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GgufValueType, ggmlTypeLabel } from "./types";

const SUPPORTED_TYPES = [...GGML_TYPE_BY_ID.values()].join(", ");

/** A parsed GGUF file. */
export interface GgufFile {
  readonly version: number;
  readonly metadata: Record<string, GgufValue>;
  /** Value type of each metadata key (for arrays: the item type in `arrayItemTypes`). */
  readonly metadataTypes: Record<string, GgufValueType>;
  readonly arrayItemTypes: Record<string, GgufValueType>;
  /** Tensors in file order; `shape` is row-major (GGUF's ne reversed). */
  readonly tensors: Map<string, RawTensor>;
  readonly alignment: number;
}

class Cursor {
  pos = 0;
  private readonly dv: DataView;
  private readonly dec = new TextDecoder();
  constructor(
    readonly bytes: Uint8Array,
    readonly source: string,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.byteLength) {
      throw new EngineError(`file is truncated while reading ${what} at byte ${this.pos} (size ${this.bytes.byteLength})`, this.source);
    }
  }
  u8(w: string) { this.need(1, w); return this.dv.getUint8(this.pos++); }
  i8(w: string) { this.need(1, w); return this.dv.getInt8(this.pos++); }
  u16(w: string) { this.need(2, w); const v = this.dv.getUint16(this.pos, true); this.pos += 2; return v; }
  i16(w: string) { this.need(2, w); const v = this.dv.getInt16(this.pos, true); this.pos += 2; return v; }
  u32(w: string) { this.need(4, w); const v = this.dv.getUint32(this.pos, true); this.pos += 4; return v; }
  i32(w: string) { this.need(4, w); const v = this.dv.getInt32(this.pos, true); this.pos += 4; return v; }
  f32(w: string) { this.need(4, w); const v = this.dv.getFloat32(this.pos, true); this.pos += 4; return v; }
  f64(w: string) { this.need(8, w); const v = this.dv.getFloat64(this.pos, true); this.pos += 8; return v; }
  u64(w: string): number | bigint {
    this.need(8, w);
    const v = this.dv.getBigUint64(this.pos, true);
    this.pos += 8;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  i64(w: string): number | bigint {
    this.need(8, w);
    const v = this.dv.getBigInt64(this.pos, true);
    this.pos += 8;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  }
  /** A count/length that must fit in memory. */
  size(w: string): number {
    const v = this.u64(w);
    if (typeof v === "bigint" || v > this.bytes.byteLength) {
      throw new EngineError(`${w} is ${v}, larger than the file (bad header or truncated)`, this.source);
    }
    return v;
  }
  str(w: string): string {
    const n = this.size(`${w} length`);
    this.need(n, w);
    const s = this.dec.decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
}

function readScalar(c: Cursor, type: number, w: string): GgufScalar {
  switch (type) {
    case GgufValueType.UINT8: return c.u8(w);
    case GgufValueType.INT8: return c.i8(w);
    case GgufValueType.UINT16: return c.u16(w);
    case GgufValueType.INT16: return c.i16(w);
    case GgufValueType.UINT32: return c.u32(w);
    case GgufValueType.INT32: return c.i32(w);
    case GgufValueType.FLOAT32: return c.f32(w);
    case GgufValueType.BOOL: return c.u8(w) !== 0;
    case GgufValueType.STRING: return c.str(w);
    case GgufValueType.UINT64: return c.u64(w);
    case GgufValueType.INT64: return c.i64(w);
    case GgufValueType.FLOAT64: return c.f64(w);
    default: throw new EngineError(`${w} has unknown value type ${type}`, c.source);
  }
}

/**
 * Parses a GGUF v3 file held in memory.
 * @param source names the file in error messages.
 * @throws EngineError on bad magic, unsupported version, truncation, unknown tensor types or out-of-range offsets.
 */
export function readGguf(input: Uint8Array | ArrayBuffer, source = "model.gguf"): GgufFile {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const c = new Cursor(bytes, source);
  const magic = c.u32("magic");
  check(magic === GGUF_MAGIC, `bad magic 0x${magic.toString(16)}, not a GGUF file`, source);
  const version = c.u32("version");
  check(version === 3 || version === 2, `unsupported GGUF version ${version} (supported: 2, 3)`, source);
  const tensorCount = c.size("tensor count");
  const kvCount = c.size("metadata count");

  const metadata: Record<string, GgufValue> = {};
  const metadataTypes: Record<string, GgufValueType> = {};
  const arrayItemTypes: Record<string, GgufValueType> = {};
  for (let i = 0; i < kvCount; i++) {
    const key = c.str(`metadata key #${i}`);
    const type = c.u32(`type of "${key}"`);
    metadataTypes[key] = type;
    if (type === GgufValueType.ARRAY) {
      const itemType = c.u32(`item type of "${key}"`);
      check(itemType !== GgufValueType.ARRAY, `"${key}": nested arrays are not supported`, source);
      const n = c.size(`length of "${key}"`);
      const arr: GgufScalar[] = new Array(n);
      for (let j = 0; j < n; j++) arr[j] = readScalar(c, itemType, `"${key}"[${j}]`);
      arrayItemTypes[key] = itemType;
      metadata[key] = arr;
    } else {
      metadata[key] = readScalar(c, type, `"${key}"`);
    }
  }

  const alignRaw = metadata["general.alignment"] ?? GGUF_DEFAULT_ALIGNMENT;
  check(
    typeof alignRaw === "number" && alignRaw > 0 && (alignRaw & (alignRaw - 1)) === 0,
    `general.alignment must be a power of two, got ${String(alignRaw)}`,
    source,
  );
  const alignment = alignRaw;

  const infos: { name: string; shape: number[]; type: number; offset: number }[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = c.str(`tensor name #${i}`);
    const nDims = c.u32(`dims of "${name}"`);
    check(nDims >= 1 && nDims <= 4, `tensor "${name}" has ${nDims} dims (1..4 allowed)`, source);
    const ne: number[] = [];
    for (let d = 0; d < nDims; d++) ne.push(c.size(`dim ${d} of "${name}"`));
    const type = c.u32(`type of "${name}"`);
    const offset = c.size(`offset of "${name}"`);
    infos.push({ name, shape: ne.reverse(), type, offset });
  }
  const dataStart = Math.ceil(c.pos / alignment) * alignment;

  const tensors = new Map<string, RawTensor>();
  for (const info of infos) {
    const dtype = GGML_TYPE_BY_ID.get(info.type);
    check(dtype, `tensor "${info.name}" has ggml type ${ggmlTypeLabel(info.type)}, which the engine does not read (supported: ${SUPPORTED_TYPES})`, source);
    const n = numel(info.shape);
    const rowLen = info.shape[info.shape.length - 1];
    const block = DTYPES[dtype].blockValues;
    check(rowLen % block === 0, `tensor "${info.name}" is ${dtype} but its row length ${rowLen} is not a multiple of ${block}`, source);
    check(info.offset % alignment === 0, `tensor "${info.name}" offset ${info.offset} is not aligned to ${alignment}`, source);
    const len = byteSize(dtype, n);
    const begin = dataStart + info.offset;
    check(
      begin + len <= bytes.byteLength,
      `tensor "${info.name}" needs bytes ${begin}..${begin + len} but the file has ${bytes.byteLength} (truncated)`,
      source,
    );
    tensors.set(info.name, { name: info.name, dtype, shape: info.shape, bytes: bytes.subarray(begin, begin + len) });
  }
  return { version, metadata, metadataTypes, arrayItemTypes, tensors, alignment };
}
