import { configFromHf } from "@/lib/engine/models/config";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import type { LlamaTrainConfig } from "./model/config";
import { paramCount, paramLayout } from "./model/config";

/**
 * The trainer's config for a Hugging Face Llama config.json, or an error
 * naming what the trainer cannot fine-tune (biases, RoPE scaling, other
 * families, a head_dim that is not hidden_size / heads).
 */
export function trainConfigFromHf(json: unknown): LlamaTrainConfig {
  const c = configFromHf(json);
  if (c.family !== "llama") throw new Error(`config.json: the trainer supports Llama models only, got ${c.architecture}`);
  if (c.qkvBias) throw new Error("config.json: attention_bias is not supported by the trainer");
  if (c.ropeScaling) throw new Error(`config.json: rope_scaling ${c.ropeScaling.type} is not supported by the trainer`);
  if (c.headDim * c.nHeads !== c.dim) throw new Error(`config.json: head_dim ${c.headDim} × heads ${c.nHeads} must equal hidden_size ${c.dim}`);
  return {
    vocabSize: c.vocabSize, dim: c.dim, nLayers: c.nLayers, nHeads: c.nHeads, nKvHeads: c.nKvHeads, hiddenDim: c.hiddenDim,
    maxSeqLen: c.maxSeqLen, ropeTheta: c.ropeTheta, normEps: c.normEps, tieEmbeddings: c.tieEmbeddings,
  };
}

/** Copies HF-named tensors (any float dtype the engine reads) into the trainer's flat f32 layout. */
export function paramsFromTensors(config: LlamaTrainConfig, tensors: ReadonlyMap<string, RawTensor>): Float32Array {
  const out = new Float32Array(paramCount(config));
  for (const e of paramLayout(config)) {
    const t = tensors.get(e.name);
    if (!t) throw new Error(`model.safetensors: missing tensor ${e.name}`);
    if (t.shape.join(",") !== e.shape.join(",")) {
      throw new Error(`model.safetensors: ${e.name} has shape [${t.shape.join(", ")}], config needs [${e.shape.join(", ")}]`);
    }
    out.set(tensorToFloat32(t), e.offset);
  }
  return out;
}
