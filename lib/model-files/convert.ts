/**
 * Hugging Face folder -> .gguf file that llama.cpp opens (I/O edge around the
 * pure ggufFromHf / ggufVocabFromTokenizerJson).
 */
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { EngineError } from "@/lib/engine/errors";
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
 * Writes `outFile` from the HF folder `dir`. The tokenizer comes from
 * tokenizer.json (+ tokenizer_config.json: BOS/EOS, chat template); without
 * one, a placeholder byte-fallback vocab is written and `placeholderVocab` is true.
 * @throws EngineError naming the file and the problem.
 */
export async function convertHfFolderToGguf(
  dir: string, outFile: string, opts: { dtype?: "F32" | "F16" | "Q8_0"; name?: string } = {},
): Promise<{ bytes: number; placeholderVocab: boolean }> {
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
  await writeFile(outFile, bytes);
  return { bytes: bytes.length, placeholderVocab };
}
