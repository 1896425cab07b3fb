/**
 * Fine-tuned reward model (mode b) ⇄ { config JSON, named float32 tensors }:
 * only what training changed — the top layers and final norm under their
 * Hugging Face names, plus `score.weight` (1, d) as in HF's
 * LlamaForSequenceClassification and a `score.bias` that carries the
 * reward centring. The frozen rest is read from the backbone at load time.
 */
import { z } from "zod";
import { trainedTensors, type FinetunedRewardModel } from "@/lib/reward/finetune-model";
import { readTensor, type NamedTensor } from "@/lib/reward/serialize";
import { RewardError } from "@/lib/reward/types";
import type { LlamaTrainConfig } from "@/lib/train/model/config";
import { paramCount, paramLayout } from "@/lib/train/model/config";

export const FINETUNED_REWARD_FORMAT = "rlhf-studio/reward-model-finetuned";

const configSchema = z.object({
  format: z.literal(FINETUNED_REWARD_FORMAT),
  version: z.literal(1),
  trainLayers: z.number().int().positive(),
  dim: z.number().int().positive(),
  nLayers: z.number().int().positive(),
  extra: z.record(z.string(), z.unknown()).optional(),
});

export function serializeFinetunedReward(m: FinetunedRewardModel, extra?: Record<string, unknown>) {
  const config = { format: FINETUNED_REWARD_FORMAT, version: 1 as const, trainLayers: m.trainLayers, dim: m.config.dim, nLayers: m.config.nLayers, ...(extra ? { extra } : {}) };
  const tensors: Record<string, NamedTensor> = {};
  for (const t of trainedTensors(m)) tensors[t.name] = { dtype: "F32", shape: t.shape, data: t.data.slice() };
  tensors["score.weight"] = { dtype: "F32", shape: [1, m.config.dim], data: m.scoreWeight.slice() };
  tensors["score.bias"] = { dtype: "F32", shape: [1], data: Float32Array.of(m.scoreBias) };
  return { config, tensors, metadata: { format: FINETUNED_REWARD_FORMAT, config: JSON.stringify(config) } };
}

/**
 * Rebuilds the model on top of `backbone` (the frozen weights); throws
 * RewardError("invalid_head") naming a config mismatch or a bad tensor.
 */
export function deserializeFinetunedReward(
  configJson: unknown,
  tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>,
  backbone: { config: LlamaTrainConfig; params: Float32Array },
): FinetunedRewardModel {
  const parsed = configSchema.safeParse(configJson);
  if (!parsed.success) throw new RewardError("invalid_head", `fine-tuned reward model config: ${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const bc = backbone.config;
  if (c.dim !== bc.dim || c.nLayers !== bc.nLayers || c.trainLayers > bc.nLayers) {
    throw new RewardError("invalid_head", `reward model was trained on a backbone with dim ${c.dim} and ${c.nLayers} layers; this one has dim ${bc.dim} and ${bc.nLayers}`);
  }
  if (backbone.params.length !== paramCount(bc)) throw new RewardError("invalid_head", "backbone parameters do not match its config");
  const params = backbone.params.slice();
  const read = (name: string, shape: readonly number[]) => readTensor(tensors.get(name), name, shape);
  const model: FinetunedRewardModel = { config: bc, trainLayers: c.trainLayers, params, scoreWeight: read("score.weight", [1, bc.dim]), scoreBias: read("score.bias", [1])[0]! };
  const names = new Set(trainedTensors(model).map((t) => t.name));
  for (const e of paramLayout(bc)) if (names.has(e.name)) params.set(read(e.name, e.shape), e.offset);
  return model;
}
