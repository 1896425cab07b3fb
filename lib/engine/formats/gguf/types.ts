/** GGUF constants shared by the reader and the writer (GGUF v3 spec, ggml type ids). */
import type { DType } from "@/lib/engine/tensor/dtype";

/** "GGUF" read as a little-endian u32. */
export const GGUF_MAGIC = 0x46554747;
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Metadata value type ids. */
export enum GgufValueType {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
}

/** ggml tensor type ids for the dtypes the engine handles. */
export const GGML_TYPE_ID: Record<DType, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8, BF16: 30 };
export const GGML_TYPE_BY_ID: ReadonlyMap<number, DType> = new Map(
  Object.entries(GGML_TYPE_ID).map(([k, v]) => [v, k as DType]),
);

/** Metadata values: 64-bit integers become numbers when they fit in 2^53, bigint otherwise. */
export type GgufScalar = number | bigint | boolean | string;
export type GgufValue = GgufScalar | GgufScalar[];

/** A typed metadata entry, as the writer needs it (JS numbers alone don't say u32 vs f32). */
export type GgufTypedValue =
  | { type: Exclude<GgufValueType, GgufValueType.ARRAY>; value: GgufScalar }
  | { type: GgufValueType.ARRAY; itemType: Exclude<GgufValueType, GgufValueType.ARRAY>; value: GgufScalar[] };

/** Helpers to build typed metadata: `gguf.u32(4)`, `gguf.str("llama")`, `gguf.arr(GgufValueType.STRING, tokens)`. */
export const gguf = {
  u32: (v: number): GgufTypedValue => ({ type: GgufValueType.UINT32, value: v }),
  i32: (v: number): GgufTypedValue => ({ type: GgufValueType.INT32, value: v }),
  u64: (v: number | bigint): GgufTypedValue => ({ type: GgufValueType.UINT64, value: v }),
  f32: (v: number): GgufTypedValue => ({ type: GgufValueType.FLOAT32, value: v }),
  bool: (v: boolean): GgufTypedValue => ({ type: GgufValueType.BOOL, value: v }),
  str: (v: string): GgufTypedValue => ({ type: GgufValueType.STRING, value: v }),
  arr: (itemType: Exclude<GgufValueType, GgufValueType.ARRAY>, value: GgufScalar[]): GgufTypedValue => ({
    type: GgufValueType.ARRAY,
    itemType,
    value,
  }),
};
