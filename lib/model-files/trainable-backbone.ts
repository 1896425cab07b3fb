/**
 * The backbone a mode (b) reward model fine-tunes (I/O edge): a Hugging Face
 * Llama folder read into lib/train's flat parameter layout. GGUF files and
 * other families are refused with the reason, since the trainer's backward
 * pass covers the Llama architecture in float32 only.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { EngineError } from "@/lib/engine/errors";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramsFromTensors, trainConfigFromHf } from "@/lib/train/hf-import";
import { loadSafetensors, localModelPath, readJson } from "./load";

export interface TrainableBackbone {
  config: LlamaTrainConfig;
  params: Float32Array;
}

/** `spec` is a HF folder or an `hf:` Hub id of one (fetched into the Hub cache first). */
export async function loadTrainableBackbone(spec: string): Promise<TrainableBackbone> {
  const modelPath = await localModelPath(spec);
  let isDir: boolean;
  try {
    isDir = statSync(modelPath).isDirectory();
  } catch {
    throw new EngineError("no such model file or folder", modelPath);
  }
  if (!isDir) {
    throw new EngineError("fine-tuning reward-model layers needs a Hugging Face folder (config.json + safetensors); use the frozen-feature mode for GGUF models", modelPath);
  }
  const configFile = path.join(modelPath, "config.json");
  let config: LlamaTrainConfig;
  try {
    config = trainConfigFromHf(await readJson(configFile));
  } catch (err) {
    throw new EngineError(`cannot fine-tune this backbone: ${(err as Error).message}`, configFile);
  }
  const { tensors } = await loadSafetensors(modelPath);
  try {
    return { config, params: paramsFromTensors(config, tensors) };
  } catch (err) {
    throw new EngineError((err as Error).message, modelPath);
  }
}
