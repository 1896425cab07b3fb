import "server-only";
import { promptMessages } from "@/db/queries/export-data";
import { getProjectById } from "@/db/queries/projects";
import { countCompletions, listCompletionsWithoutFeatures, setCompletionFeatures } from "@/db/queries/reward-models";
import { featuresToBytes, openFeaturizer } from "@/lib/model-files/features";
import { resolveModelPath } from "@/lib/model-files/model-path";
import { defineJob, type JobContext } from "../define";
import { featurizeJob } from "../kinds/featurize";

/**
 * Caches reward-model features (the project model's final hidden state of
 * prompt + completion) for every completion of a project that has none. Each
 * vector is stored as it is computed, so a resumed job skips finished work.
 */
async function cacheFeatures({ projectId }: { projectId: string }, ctx: JobContext): Promise<Record<string, unknown>> {
  const project = await getProjectById({ id: projectId });
  if (!project) throw new Error(`project ${projectId} no longer exists`);
  const total = await countCompletions({ projectId });
  let done = total - (await countCompletions({ projectId, withFeatures: false }));
  await ctx.progress({ done, total, result: { stage: "features" } });
  if (done === total) return { completions: total, computed: 0 };
  const modelPath = await resolveModelPath(project.modelId);
  const featurizer = await openFeaturizer(modelPath);
  let computed = 0;
  for (;;) {
    const batch = await listCompletionsWithoutFeatures({ projectId, limit: 32 });
    if (batch.length === 0) break;
    for (const c of batch) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const x = featurizer.featurize(promptMessages({ text: c.promptText, messages: c.promptMessages }), c.text);
      await setCompletionFeatures({ id: c.id, features: featuresToBytes(x) });
      done++;
      computed++;
      // Forward passes are synchronous; when jobs run in the web process, let requests through between them.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await ctx.progress({ done, total, result: { stage: "features" } });
  }
  return { completions: total, computed, dim: featurizer.dim, model: project.modelId };
}

export const featurizeDefinition = defineJob({ ...featurizeJob, handler: cacheFeatures });
