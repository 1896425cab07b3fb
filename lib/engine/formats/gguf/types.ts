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

/** ggml tensor type ids (ggml.h's enum ggml_type) for the dtypes the engine handles. */
export const GGML_TYPE_ID: Record<DType, number> = {
  F32: 0, F16: 1, Q4_0: 2, Q4_1: 3, Q5_0: 6, Q5_1: 7, Q8_0: 8, Q4_K: 12, Q5_K: 13, Q6_K: 14, BF16: 30,
};
export const GGML_TYPE_BY_ID: ReadonlyMap<number, DType> = new Map(
  Object.entries(GGML_TYPE_ID).map(([k, v]) => [v, k as DType]),
);

/** Names of the other ggml type ids, so that an unsupported tensor type is refused by name. */
export const GGML_OTHER_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [9, "Q8_1"], [10, "Q2_K"], [11, "Q3_K"], [15, "Q8_K"], [16, "IQ2_XXS"], [17, "IQ2_XS"], [18, "IQ3_XXS"],
  [19, "IQ1_S"], [20, "IQ4_NL"], [21, "IQ3_S"], [22, "IQ2_S"], [23, "IQ4_XS"], [24, "I8"], [25, "I16"],
  [26, "I32"], [27, "I64"], [28, "F64"], [29, "IQ1_M"], [34, "TQ1_0"], [35, "TQ2_0"], [39, "MXFP4"],
  [40, "NVFP4"], [41, "Q1_0"], [42, "Q2_0"],
]);

/** "Q2_K (10)" for a known ggml type id, "10" otherwise. */
export function ggmlTypeLabel(id: number): string {
  const name = GGML_TYPE_BY_ID.get(id) ?? GGML_OTHER_TYPE_NAMES.get(id);
  return name ? `${name} (${id})` : String(id);
}

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
