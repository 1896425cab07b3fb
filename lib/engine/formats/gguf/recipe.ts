/**
 * Which type each tensor of a GGUF file gets, per file type ("recipe"), as
 * llama.cpp's llama-quantize chooses (src/llama-quant.cpp: tensor_allows_quantization,
 * llama_tensor_get_type_impl, tensor_type_fallback) for the dense models the
 * engine writes (Llama, Qwen2, Mistral, GPT-2), without an importance matrix:
 *
 * - Only tensors of 2+ dims whose name ends in "weight" are quantized, never a
 *   "*_norm.weight", position_embd.weight or token_types.weight; the rest stay F32.
 * - output.weight — or token_embd.weight when there is no output.weight (tied)
 *   — is Q6_K in K-quant files (Q8_0 if its rows are not whole 256-blocks).
 * - Q4_K_M: attn_v / attn_qkv and ffn_down get Q6_K where use_more_bits(i, n)
 *   holds (the first and last eighth of the layers and every third one between),
 *   i counting those tensors in file order; everything else is Q4_K.
 * - Rows that are not whole blocks of the chosen type fall back: Q4_K -> Q5_0,
 *   Q6_K -> Q8_0, and when even 32 does not divide them, F32 (llama.cpp writes
 *   F16 there; F32 is exact, and keeps what the engine's writer always did).
 *
 * Not followed, as no model the engine writes meets them: the rules for
 * mixture-of-experts, Falcon and 70B models.
 */
import { DTYPES } from "@/lib/engine/tensor/dtype";
import type { GgufWriteDType } from "./write";

/** The file types the engine writes, with llama.cpp's general.file_type (llama_ftype) ids. */
export const GGUF_FILE_TYPES = {
  F32: { fileTypeId: 0, base: "F32" },
  F16: { fileTypeId: 1, base: "F16" },
  Q8_0: { fileTypeId: 7, base: "Q8_0" },
  Q4_K_M: { fileTypeId: 15, base: "Q4_K" },
  Q6_K: { fileTypeId: 18, base: "Q6_K" },
} as const satisfies Record<string, { fileTypeId: number; base: GgufWriteDType }>;

export type GgufFileType = keyof typeof GGUF_FILE_TYPES;
export const GGUF_FILE_TYPE_NAMES = Object.keys(GGUF_FILE_TYPES) as GgufFileType[];

/** A tensor's name and row-major shape (the last dim is the row length, ggml's ne[0]). */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** llama.cpp's tensor_allows_quantization for the tensor names dense models have. */
export function isQuantizable(t: TensorSpec): boolean {
  return (
    t.shape.length >= 2 && t.name.endsWith("weight") && !t.name.includes("_norm.weight") &&
    t.name !== "position_embd.weight" && t.name !== "token_types.weight"
  );
}

/** llama.cpp's use_more_bits: the first and last eighth of n, and every third index between. */
export function useMoreBits(i: number, n: number): boolean {
  const eighth = Math.trunc(n / 8);
  return i < eighth || i >= Math.trunc((7 * n) / 8) || (i - eighth) % 3 === 2;
}

/** tensor_type_fallback: a type whose blocks divide rows of `cols` values. */
function fallback(type: GgufWriteDType, cols: number): GgufWriteDType {
  if (cols % DTYPES[type].blockValues === 0) return type;
  const next: GgufWriteDType = type === "Q4_K" ? "Q5_0" : type === "Q6_K" ? "Q8_0" : type;
  return cols % DTYPES[next].blockValues === 0 ? next : "F32";
}

/**
 * The type of each tensor (in order) in a `fileType` file of a model with
 * `nLayers` layers. Tensors must be in file order, layers ascending.
 */
export function tensorTypes(tensors: readonly TensorSpec[], fileType: GgufFileType, nLayers: number): GgufWriteDType[] {
  const base: GgufWriteDType = GGUF_FILE_TYPES[fileType].base;
  const quantizedBase = base !== "F32" && base !== "F16";
  const tied = !tensors.some((t) => t.name === "output.weight");
  const isAttnV = (name: string) => name.includes("attn_v.weight") || name.includes("attn_qkv.weight");
  const nAttnV = tensors.filter((t) => isAttnV(t.name)).length;
  let iAttnV = 0;
  let iFfnDown = 0;
  return tensors.map((t) => {
    if (!isQuantizable(t)) return "F32";
    if (!quantizedBase) return base;
    const cols = t.shape[t.shape.length - 1];
    let type = base;
    if (t.name === "output.weight" || (tied && t.name === "token_embd.weight")) {
      if (cols % DTYPES[base].blockValues !== 0) type = "Q8_0";
      else if (base !== "Q8_0") type = "Q6_K";
    } else if (isAttnV(t.name)) {
      if (fileType === "Q4_K_M" && useMoreBits(iAttnV, nAttnV)) type = "Q6_K";
      iAttnV++;
    } else if (t.name.includes("ffn_down")) {
      if (fileType === "Q4_K_M" && useMoreBits(iFfnDown, nLayers)) type = "Q6_K";
      iFfnDown++;
    }
    return fallback(type, cols);
  });
}
