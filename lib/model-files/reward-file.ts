/**
 * A stored reward model's weights (safetensors, config in `__metadata__`)
 * back into a scorer, for either mode: a head on frozen features, or
 * fine-tuned top layers overlaid on the project's backbone and run by the engine.
 */
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { writeSafetensors } from "@/lib/engine/formats/safetensors/write";
import type { ChatMessage } from "@/lib/engine/tokenizer/types";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import { createFinetunedScorer, createScorer, type FinetunedRewardModel } from "@/lib/reward";
import { FINETUNED_REWARD_FORMAT, deserializeFinetunedReward, serializeFinetunedReward } from "@/lib/reward/finetune-serialize";
import { openFeaturizer } from "./features";
import { rewardHeadFromFile } from "./reward-head-file";
import { loadTrainableBackbone } from "./trainable-backbone";

export function finetunedRewardToSafetensors(m: FinetunedRewardModel, extra: Record<string, unknown>): Uint8Array {
  const file = serializeFinetunedReward(m, extra);
  return writeSafetensors(Object.entries(file.tensors).map(([name, t]) => ({ name, shape: t.shape, data: t.data })), file.metadata);
}

export interface RewardScorer {
  score(prompt: readonly ChatMessage[], completion: string): number;
}

/** Opens a scorer for stored weights of either mode; `modelPath` is the backbone the model was trained on. */
export async function openRewardScorer(modelPath: string, weights: Uint8Array): Promise<RewardScorer> {
  const file = readSafetensors(weights, "reward-model.safetensors");
  const featurizer = await openFeaturizer(modelPath);
  if (file.metadata.format !== FINETUNED_REWARD_FORMAT) {
    const head = createScorer(rewardHeadFromFile(file));
    return { score: (prompt, completion) => head(featurizer.featurize(prompt, completion)) };
  }
  const backbone = await loadTrainableBackbone(modelPath);
  const tensors = new Map([...file.tensors].map(([name, t]) => [name, { shape: t.shape, data: tensorToFloat32(t) }]));
  // The backbone with the fine-tuned tensors in place runs on the engine, one session of the featurizer's context.
  const score = createFinetunedScorer(deserializeFinetunedReward(JSON.parse(file.metadata.config ?? "null"), tensors, backbone), featurizer.contextLength);
  return { score: (prompt, completion) => score(featurizer.tokens(prompt, completion)) };
}
