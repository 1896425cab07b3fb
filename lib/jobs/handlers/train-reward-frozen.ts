import "server-only";
import { rewardHeadToSafetensors } from "@/lib/model-files/reward-head-file";
import { createScorer, trainRewardModel, type EpochMetrics, type RewardTrainConfig, type StopReason } from "@/lib/reward";
import type { JobContext } from "../define";
import type { RewardData } from "./train-reward-data";

/** What either training mode hands back to the job: how it ended, a scorer and the weights file. */
export interface TrainedReward {
  stopReason: StopReason;
  bestEpoch: number;
  history: EpochMetrics[];
  /** Reward of a completion in the data (its features or tokens are at hand). */
  reward: (completionId: string) => number;
  /** Completions to store scores for. */
  scoredIds: string[];
  weights: Uint8Array;
}

/** Collects each epoch's metrics and reports them as job progress (the live loss curve). */
export function epochReporter(ctx: JobContext, epochs: number) {
  const history: EpochMetrics[] = [];
  let reported: Promise<void> = Promise.resolve();
  return {
    history,
    onEpoch: (m: EpochMetrics) => {
      history.push(m);
      // Progress is async and training is not; a failed report (cancel) shows up through ctx.signal.
      reported = reported.then(() => ctx.progress({ done: m.epoch, total: epochs, result: { stage: "training", history } })).catch(() => undefined);
    },
    flushed: () => reported,
  };
}

/** Mode (a): a linear or MLP head on the cached frozen-backbone features. */
export async function trainFrozenReward(ctx: JobContext, data: RewardData, config: RewardTrainConfig, extra: Record<string, unknown>): Promise<TrainedReward> {
  const { history, onEpoch, flushed } = epochReporter(ctx, config.epochs);
  const result = await trainRewardModel({ features: data.features, trainGroups: data.train, valGroups: data.val, config, signal: ctx.signal, onEpoch });
  await flushed();
  const score = createScorer(result.head);
  return {
    stopReason: result.stopReason,
    bestEpoch: result.bestEpoch,
    history,
    reward: (id) => score(data.features.get(id)!),
    scoredIds: [...data.features.keys()],
    weights: rewardHeadToSafetensors(result.head, extra),
  };
}
