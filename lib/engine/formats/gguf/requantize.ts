/**
 * GGUF -> GGUF of another file type (what llama-quantize does): the metadata
 * is kept, with general.file_type set, and each tensor is re-encoded as the
 * recipe (recipe.ts) chooses from its float32 values.
 */
import { check } from "@/lib/engine/errors";
import type { DType } from "@/lib/engine/tensor/dtype";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import type { GgufFile } from "./read";
import type { GgufFileType } from "./recipe";
import { GGUF_FILE_TYPES, tensorTypes } from "./recipe";
import type { GgufTypedValue } from "./types";
import { GgufValueType, gguf } from "./types";
import type { GgufTensorInput } from "./write";
import { writeGguf } from "./write";

/** Types a file may be converted from: quantizing a quantized tensor again compounds the error. */
const SOURCE_TYPES: ReadonlySet<DType> = new Set(["F32", "F16", "BF16"]);

/** The file's metadata with the value types it was read with, in file order. */
export function typedMetadata(file: GgufFile): [string, GgufTypedValue][] {
  return Object.entries(file.metadata).map(([key, value]): [string, GgufTypedValue] => {
    const type = file.metadataTypes[key];
    if (type === GgufValueType.ARRAY) {
      const itemType = file.arrayItemTypes[key];
      check(Array.isArray(value) && itemType !== GgufValueType.ARRAY, `metadata "${key}" is typed as an array but is not one`);
      return [key, { type, itemType, value }];
    }
    check(!Array.isArray(value), `metadata "${key}" is an array but typed ${type}`);
    return [key, { type, value }];
  });
}

/**
 * The GGUF bytes of `file` as `fileType`.
 * @throws EngineError naming the tensor when one is already quantized (convert from the F32/F16/BF16 file instead).
 */
export function convertGguf(file: GgufFile, fileType: GgufFileType, source = "model.gguf"): Uint8Array {
  const arch = file.metadata["general.architecture"];
  check(typeof arch === "string", `metadata "general.architecture" is missing`, source);
  const nLayers = file.metadata[`${arch}.block_count`];
  check(typeof nLayers === "number", `metadata "${arch}.block_count" is missing`, source);
  const tensors = [...file.tensors.values()];
  for (const t of tensors) {
    check(
      SOURCE_TYPES.has(t.dtype),
      `tensor "${t.name}" is already ${t.dtype}; convert from the F32, F16 or BF16 file (quantizing again compounds the error)`,
      source,
    );
  }
  const types = tensorTypes(tensors, fileType, nLayers);
  const out: GgufTensorInput[] = tensors.map((t, i) => ({ name: t.name, shape: t.shape, data: tensorToFloat32(t), dtype: types[i] }));
  const metadata = typedMetadata(file).filter(([k]) => k !== "general.file_type" && k !== "general.quantization_version");
  // right after general.architecture, where llama.cpp's converter puts them
  const archAt = metadata.findIndex(([k]) => k === "general.architecture");
  metadata.splice(archAt + 1, 0, ["general.file_type", gguf.u32(GGUF_FILE_TYPES[fileType].fileTypeId)], ["general.quantization_version", gguf.u32(2)]);
  return writeGguf(metadata, out);
}
