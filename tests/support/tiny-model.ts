/**
 * Writes a tiny random-weight Llama model with a real byte-level BPE tokenizer
 * and chat template as a Hugging Face folder, using the app's own trainer
 * code. Its text is gibberish, but it exercises the whole generation path
 * (loading, tokenizer, chat template, sampling, worker thread) in seconds.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { toTokenizerJson, trainBpe, vocabSize } from "@/lib/train/bpe-train";
import { hfModelFiles } from "@/lib/train/export-hf";
import { paramCount, type LlamaTrainConfig } from "@/lib/train/model/config";
import { initParams } from "@/lib/train/model/init";
import { createRng } from "@/lib/numerics/rng";

/** The tiny model's Hugging Face files (name → bytes or text); another `seed` gives other weights with the same tokenizer. */
export function tinyModelFiles({ seed = 1 }: { seed?: number } = {}): Map<string, Uint8Array | string> {
  const bpe = trainBpe(["What is 17 + 25? The answer is 42.", "Hello world, the sky is blue today."], 40);
  const config: LlamaTrainConfig = { vocabSize: vocabSize(bpe), dim: 32, hiddenDim: 64, nLayers: 2, nHeads: 4, nKvHeads: 2, maxSeqLen: 256, normEps: 1e-5, ropeTheta: 10000, tieEmbeddings: true };
  const params = new Float32Array(paramCount(config));
  initParams(config, createRng(seed), params);
  const ids = { endOfText: bpe.special.get("<|endoftext|>")!, imStart: bpe.special.get("<|im_start|>")!, imEnd: bpe.special.get("<|im_end|>")! };
  return hfModelFiles(config, params, toTokenizerJson(bpe), ids);
}

export function writeTinyModel(dir = fs.mkdtempSync(path.join(os.tmpdir(), "tiny-model-"))): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, data] of tinyModelFiles()) fs.writeFileSync(path.join(dir, name), data);
  return dir;
}

if (process.argv[1]?.endsWith("tiny-model.ts") && process.argv[2]) console.log(writeTinyModel(process.argv[2]));
