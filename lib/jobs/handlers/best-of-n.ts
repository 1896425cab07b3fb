import "server-only";
import { getProjectById } from "@/db/queries/projects";
import { getNewestReadyRewardModel } from "@/db/queries/reward-models";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { openBuiltinSource } from "@/lib/generation/builtin-source";
import { resolveModelPath } from "@/lib/model-files/model-path";
import { openRewardScorer } from "@/lib/model-files/reward-file";
import { stripNul } from "@/lib/jobs/sanitize";
import { defineJob, type JobContext } from "../define";
import { bestOfNJob, type BestOfNPayload } from "../kinds/best-of-n";

/**
 * Best-of-N, the first use of the reward model to improve the policy: the
 * project's model samples N answers to a prompt, the newest ready reward
 * model scores each, and the result lists them best first.
 */
async function bestOfN(p: BestOfNPayload, ctx: JobContext): Promise<Record<string, unknown>> {
  const project = await getProjectById({ id: p.projectId });
  if (!project) throw new Error(`project ${p.projectId} no longer exists`);
  const rm = await getNewestReadyRewardModel({ projectId: p.projectId });
  if (!rm?.weights) throw new Error("this project has no trained reward model yet; train one first");
  const modelPath = await resolveModelPath(project.modelId);
  const scorer = await openRewardScorer(modelPath, rm.weights);
  await ctx.progress({ done: 0, total: 2 });
  // One prompt, no other work to go on with: a long prompt is answered until the context is full rather than refused.
  const source = await openBuiltinSource({ modelPath, modelId: project.modelId, stopAtContext: true });
  // One conversation for sampling and scoring: the reward model reads the ids generation prefilled.
  const messages = [{ role: "user", content: p.prompt }];
  let texts: string[];
  try {
    const configs = Array.from({ length: p.n }, (_, i) => parseDecodingConfig({ temperature: p.temperature, max_new_tokens: p.maxNewTokens, seed: i + 1 }));
    texts = (await source.generate({ text: p.prompt, messages }, configs, ctx.signal)).map((r) => stripNul(r.text));
  } finally {
    await source.close();
  }
  await ctx.progress({ done: 1, total: 2 });
  const samples = texts.map((text, i) => ({ text, seed: i + 1, score: scorer.score(messages, text) }));
  samples.sort((a, b) => b.score - a.score);
  return { prompt: p.prompt, rewardModelVersion: rm.version, samples };
}

export const bestOfNDefinition = defineJob({ ...bestOfNJob, handler: bestOfN });
