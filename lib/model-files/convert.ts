/**
 * Model file conversion (I/O edge around the pure ggufFromHf / convertGguf):
 * a Hugging Face folder or a .gguf file -> a .gguf file that llama.cpp opens,
 * of file type F32, F16, Q8_0, Q4_K_M or Q6_K (`studio convert`).
 */
import { existsSync, statSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { EngineError } from "@/lib/engine/errors";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import type { GgufFileType } from "@/lib/engine/formats/gguf/recipe";
import { convertGguf } from "@/lib/engine/formats/gguf/requantize";
import { readSafetensors, readShardedSafetensors } from "@/lib/engine/formats/safetensors/read";
import { byteFallbackVocab, ggufFromHf } from "@/lib/engine/models/export-gguf";
import type { GgufVocab } from "@/lib/engine/models/export-gguf";
import { ggufVocabFromTokenizerJson } from "@/lib/engine/models/gguf-vocab";

async function json(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    throw new EngineError(`cannot read JSON (${(e as Error).message})`, file);
  }
}

/**
 * GGUF bytes of the HF folder `dir`. The tokenizer comes from tokenizer.json
 * (+ tokenizer_config.json: BOS/EOS, chat template); without one, a
 * placeholder byte-fallback vocab is written and `placeholderVocab` is true.
 * @throws EngineError naming the file and the problem.
 */
async function ggufFromHfFolder(dir: string, opts: { dtype?: GgufFileType; name?: string }): Promise<{ bytes: Uint8Array; placeholderVocab: boolean }> {
  const config = await json(path.join(dir, "config.json"));
  const single = path.join(dir, "model.safetensors");
  const indexFile = path.join(dir, "model.safetensors.index.json");
  let tensors;
  if (existsSync(single)) tensors = readSafetensors(await readFile(single), single).tensors;
  else if (existsSync(indexFile)) {
    const index = await json(indexFile);
    const files = new Set(Object.values((index as { weight_map?: Record<string, string> }).weight_map ?? {}));
    const shards = new Map<string, Uint8Array>();
    for (const f of files) shards.set(f, await readFile(path.join(dir, path.basename(f))));
    tensors = readShardedSafetensors(index, shards, indexFile).tensors;
  } else throw new EngineError("neither model.safetensors nor model.safetensors.index.json is present", dir);
  const tokFile = path.join(dir, "tokenizer.json");
  const cfgFile = path.join(dir, "tokenizer_config.json");
  let vocab: GgufVocab;
  let placeholderVocab = false;
  if (existsSync(tokFile)) {
    vocab = ggufVocabFromTokenizerJson(await json(tokFile), existsSync(cfgFile) ? await json(cfgFile) : undefined);
  } else {
    const size = (config as { vocab_size?: number }).vocab_size ?? 0;
    vocab = byteFallbackVocab(size);
    placeholderVocab = true;
  }
  const bytes = ggufFromHf(config, tensors, { vocab, dtype: opts.dtype ?? "F32", name: opts.name ?? path.basename(dir) });
  return { bytes, placeholderVocab };
}

/** Writes `file` whole or not at all: into a temporary file beside it, renamed when complete. */
async function writeWhole(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.partial`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new EngineError(`cannot write (${(e as Error).message})`, file);
  }
}

/** Writes `outFile` from the HF folder `dir` (see ggufFromHfFolder). */
export async function convertHfFolderToGguf(
  dir: string, outFile: string, opts: { dtype?: GgufFileType; name?: string } = {},
): Promise<{ bytes: number; placeholderVocab: boolean }> {
  const { bytes, placeholderVocab } = await ggufFromHfFolder(dir, opts);
  await writeWhole(outFile, bytes);
  return { bytes: bytes.length, placeholderVocab };
}

/** What convertModelFile wrote. */
export interface ConvertResult {
  bytes: number;
  placeholderVocab: boolean;
  /** number of tensors of each type in the written file */
  tensorTypes: Record<string, number>;
}

/**
 * Converts a model — an HF folder, or a .gguf file of F32/F16/BF16 tensors —
 * to a `to` GGUF file at `output` (never half-written).
 * @throws EngineError naming the file and the problem.
 */
export async function convertModelFile(input: string, output: string, to: GgufFileType, name?: string): Promise<ConvertResult> {
  if (!existsSync(input)) throw new EngineError("no such file or folder", input);
  if (path.resolve(input) === path.resolve(output)) throw new EngineError("the output would overwrite the input", output);
  let result: { bytes: Uint8Array; placeholderVocab: boolean };
  if (statSync(input).isDirectory()) result = await ggufFromHfFolder(input, { dtype: to, name });
  else if (input.endsWith(".gguf")) result = { bytes: convertGguf(readGguf(await readFile(input), input), to, input), placeholderVocab: false };
  else throw new EngineError("expected a Hugging Face model folder or a .gguf file", input);
  await writeWhole(output, result.bytes);
  const tensorTypes: Record<string, number> = {};
  for (const t of readGguf(result.bytes, output).tensors.values()) tensorTypes[t.dtype] = (tensorTypes[t.dtype] ?? 0) + 1;
  return { bytes: result.bytes.length, placeholderVocab: result.placeholderVocab, tensorTypes };
}
