import "server-only";
import { listRankingIds } from "@/db/queries/export-data";
import { getProjectById } from "@/db/queries/projects";
import { createRewardModel, finishRewardModel, getRewardModelByJob, listCompletionTexts, updateRewardModel } from "@/db/queries/reward-models";
import { evaluateScores, validateTrainingData, type RewardTrainConfig } from "@/lib/reward";
import { verdictFor } from "@/lib/tasks/verdict";
import { defineJob, type JobContext } from "../define";
import { trainRewardJob, type TrainRewardPayload } from "../kinds/train-reward";
import { featurizeDefinition } from "./featurize";
import { resolveModelPath } from "./generate";
import { loadRewardData, type RewardData } from "./train-reward-data";
import { trainFinetunedReward } from "./train-reward-finetune";
import { trainFrozenReward, type TrainedReward } from "./train-reward-frozen";

/**
 * Features first (skipped when every completion has them), then the reward
 * head. Refuses unusable data with the reason; a cancelled run is marked
 * cancelled and a diverged one failed, and earlier versions stay as they are.
 */
async function trainReward({ projectId, options }: TrainRewardPayload, ctx: JobContext): Promise<Record<string, unknown>> {
  const project = await getProjectById({ id: projectId });
  if (!project) throw new Error(`project ${projectId} no longer exists`);
  await featurizeDefinition.handler({ projectId }, ctx);
  const data = await loadRewardData({ projectId, testFraction: options.testFraction, valFraction: options.valFraction, seed: options.seed });
  const check = validateTrainingData(data.train, data.val, options.minPairs);
  if (!check.ok) throw new Error(`cannot train a reward model: ${check.reason}`);
  const config: RewardTrainConfig = { ...options };
  const model = (await getRewardModelByJob({ jobId: ctx.job.id })) ?? (await createRewardModel({ projectId, jobId: ctx.job.id, config: { ...options, backbone: project.modelId } }));
  try {
    const extra = { projectId, version: model.version, backbone: project.modelId };
    const trained = options.mode === "finetune"
      ? await trainFinetunedReward(ctx, data, options, resolveModelPath(project.modelId), extra)
      : await trainFrozenReward(ctx, data, config, extra);
    if (trained.stopReason === "aborted") throw ctx.signal.reason ?? new Error("training aborted");
    const verifierScores = await loadVerifierScores(data);
    const metrics = summarise(data, trained, verifierScores, { bestEpoch: trained.bestEpoch, stopReason: trained.stopReason, trainPairs: check.trainPairs, valPairs: check.valPairs });
    const scores = trained.scoredIds.map((completionId) => {
      const s = trained.reward(completionId);
      if (!Number.isFinite(s)) throw new Error(`the trained model gives completion ${completionId} a score of ${s}`);
      return { completionId, score: s };
    });
    const rankingIds = await listRankingIds({ projectId });
    await finishRewardModel({ id: model.id, metrics, dataSnapshot: { rankingIds, rankings: rankingIds.length, prompts: data.promptCount, droppedPairs: data.droppedPairs }, weights: Buffer.from(trained.weights), scores });
    return { rewardModelId: model.id, version: model.version, history: trained.history, testAccuracy: (metrics.test as { accuracy: number }).accuracy };
  } catch (err) {
    const cancelled = ctx.signal.aborted;
    await updateRewardModel({ id: model.id, status: cancelled ? "cancelled" : "failed", metrics: { error: (err as Error).message } });
    throw err;
  }
}

export const trainRewardDefinition = defineJob({ ...trainRewardJob, handler: trainReward });

/** 1/0 verdicts of the held-out completions whose prompts came with a verifier (the demo's task prompts do). */
async function loadVerifierScores(data: RewardData): Promise<Map<string, number>> {
  const ids = new Set([...data.test, ...data.val].flatMap((g) => g.pairs.flatMap((p) => [p.chosenId, p.rejectedId])));
  const scores = new Map<string, number>();
  for (const c of await listCompletionTexts({ ids: [...ids] })) {
    const verdict = verdictFor(c, c.text);
    if (verdict) scores.set(c.id, verdict.correct ? 1 : 0);
  }
  return scores;
}

function summarise(data: RewardData, trained: TrainedReward, verifierScores: Map<string, number>, extra: Record<string, unknown>): Record<string, unknown> {
  const pairs = (groups: RewardData["test"]) => groups.flatMap((g) => g.pairs);
  const test = evaluateScores({ reward: trained.reward, pairs: pairs(data.test), verifierScores });
  const val = evaluateScores({ reward: trained.reward, pairs: pairs(data.val), verifierScores });
  return { test, val, testPairs: pairs(data.test).length, history: trained.history, droppedPairs: data.droppedPairs, ...extra };
}
