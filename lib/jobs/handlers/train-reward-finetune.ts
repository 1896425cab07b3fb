import "server-only";
import { listCompletionTexts } from "@/db/queries/reward-models";
import { promptMessages } from "@/db/queries/export-data";
import { openFeaturizer } from "@/lib/model-files/features";
import { finetunedRewardToSafetensors } from "@/lib/model-files/reward-file";
import { loadTrainableBackbone } from "@/lib/model-files/trainable-backbone";
import { createFinetunedScorer, finetuneRewardModel } from "@/lib/reward";
import type { JobContext } from "../define";
import type { TrainRewardOptions } from "../kinds/train-reward";
import type { RewardData } from "./train-reward-data";
import { epochReporter, type TrainedReward } from "./train-reward-frozen";

/**
 * Mode (b): fine-tunes the backbone's top `trainLayers` layers with a scalar
 * head on the token ids of every completion in the data, reporting each epoch
 * as the frozen mode does.
 */
export async function trainFinetunedReward(
  ctx: JobContext,
  data: RewardData,
  options: TrainRewardOptions,
  modelPath: string,
  extra: Record<string, unknown>,
): Promise<TrainedReward> {
  const backbone = await loadTrainableBackbone(modelPath);
  const featurizer = await openFeaturizer(modelPath);
  const rows = await listCompletionTexts({ ids: [...data.features.keys()] });
  const tokens = new Map(rows.map((r) => [r.id, featurizer.tokens(promptMessages({ text: r.promptText, messages: r.promptMessages }), r.text)]));
  const { history, onEpoch, flushed } = epochReporter(ctx, options.epochs);
  const result = await finetuneRewardModel({ backbone, tokens, trainGroups: data.train, valGroups: data.val, config: options, signal: ctx.signal, onEpoch });
  await flushed();
  // Sized for the longest conversation here: the trainer's buffers grow with the square of the length.
  let longest = 1;
  for (const t of tokens.values()) longest = Math.max(longest, t.length);
  const score = createFinetunedScorer(result.model, longest);
  return {
    stopReason: result.stopReason,
    bestEpoch: result.bestEpoch,
    history,
    reward: (id) => score(tokens.get(id)!),
    scoredIds: [...tokens.keys()],
    weights: finetunedRewardToSafetensors(result.model, { ...extra, trainLayers: options.trainLayers }),
  };
}
