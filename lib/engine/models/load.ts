/**
 * Builds a model from parsed files (pure: the caller reads the bytes).
 * Dispatches on the normalized config's family.
 */
import type { GgufFile } from "@/lib/engine/formats/gguf/read";
import type { KernelOptions } from "@/lib/engine/kernels/backend/types";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import type { ModelConfig } from "./config";
import { configFromGguf, configFromHf } from "./config";
import { Gpt2Model } from "./gpt2/model";
import { loadGpt2Weights } from "./gpt2/weights";
import type { WeightFormat } from "./linear";
import { LlamaModel } from "./llama/model";
import { loadLlamaWeights } from "./llama/weights";
import type { CausalLM } from "./types";

/**
 * Options for building a model: `format` "q8_0" quantizes weight matrices at
 * load; `kernels` chooses the kernel backend, once, for the model's life
 * (default: the best the host supports).
 */
export interface LoadOptions {
  format?: WeightFormat;
  kernels?: KernelOptions;
}

function build(cfg: ModelConfig, tensors: ReadonlyMap<string, RawTensor>, layout: "hf" | "gguf", opts: LoadOptions, source: string): CausalLM {
  const format = opts.format ?? "auto";
  if (cfg.family === "gpt2") return new Gpt2Model(cfg, loadGpt2Weights(cfg, tensors, layout, format, source), opts.kernels);
  return new LlamaModel(cfg, loadLlamaWeights(cfg, tensors, layout, format, source), opts.kernels);
}

/**
 * A model from a Hugging Face config.json object and its safetensors tensors.
 * @throws EngineError for an unsupported architecture, a bad config field, a missing tensor, a wrong shape or a kernel backend the host lacks.
 */
export function modelFromHf(configJson: unknown, tensors: ReadonlyMap<string, RawTensor>, opts: LoadOptions = {}, source = "model.safetensors"): CausalLM {
  const cfg = configFromHf(configJson);
  return build(cfg, tensors, "hf", opts, source);
}

/**
 * A model from a parsed GGUF file.
 * @throws EngineError for an unsupported architecture, a missing metadata key, a missing tensor, a wrong shape or a kernel backend the host lacks.
 */
export function modelFromGguf(file: GgufFile, opts: LoadOptions = {}, source = "model.gguf"): CausalLM {
  const cfg = configFromGguf(file.metadata, file.tensors.keys(), source);
  return build(cfg, file.tensors, "gguf", opts, source);
}
