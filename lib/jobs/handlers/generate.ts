import "server-only";
import { countPromptsWithoutCompletions, insertCompletionsForPrompt, listPromptsWithoutCompletions } from "@/db/queries/completions";
import { getProjectById } from "@/db/queries/projects";
import { decodingConfigToJSON } from "@/lib/engine/sampling";
import { stripNul } from "@/lib/jobs/sanitize";
import { openBuiltinSource } from "@/lib/generation/builtin-source";
import { openConfiguredOpenAiSource } from "@/lib/generation/openai-source";
import { throttledProgress } from "@/lib/hub/progress";
import type { ResolveHubOptions } from "@/lib/hub/snapshot";
import { localModelPath } from "@/lib/model-files/load";
import { resolveModelPath } from "@/lib/model-files/model-path";
import { planCompletions, type DecodingPreset } from "@/lib/generation/presets";
import { completionSourceSchema, type CompletionSource } from "@/lib/generation/source";
import { defineJob, type JobContext } from "../define";
import { generateJob } from "../kinds/generate";

// Moved to lib/model-files/model-path.ts (routes need it without this handler); the other handlers still import it from here.
export { resolveModelPath };

async function openSource(project: { modelId: string; completionSource: unknown }, download: ResolveHubOptions): Promise<CompletionSource> {
  const parsed = completionSourceSchema.safeParse(project.completionSource ?? { type: "builtin" });
  if (!parsed.success) throw new Error(`project completion source is invalid: ${parsed.error.issues[0]?.message}`);
  const cfg = parsed.data;
  if (cfg.type === "openai") return openConfiguredOpenAiSource(cfg);
  // A Hub model is downloaded here, with progress, so the worker thread opens a local path.
  const modelPath = await localModelPath(resolveModelPath(project.modelId), download);
  return openBuiltinSource({ modelPath, modelId: project.modelId });
}

/**
 * Writes K completions for every prompt of a project that has none. Work is
 * stored prompt by prompt, so a cancelled or crashed job resumes where it
 * stopped: prompts already done are no longer in the work list.
 */
async function generateCompletions({ projectId }: { projectId: string }, ctx: JobContext): Promise<Record<string, unknown>> {
  const project = await getProjectById({ id: projectId });
  if (!project) throw new Error(`project ${projectId} no longer exists`);
  const remainingAtStart = await countPromptsWithoutCompletions({ projectId });
  const alreadyDone = Math.max(0, ctx.job.progressTotal - remainingAtStart);
  const total = alreadyDone + remainingAtStart;
  let done = alreadyDone;
  let tokens = 0;
  const started = Date.now();
  await ctx.progress({ done, total, result: { tokensPerSecond: 0 } });
  const download = throttledProgress((p) => ctx.progress({ done, total, result: { stage: "download", file: p.file, bytes: p.bytes, totalBytes: p.totalBytes } }));
  const source = await openSource(project, { onProgress: download.onProgress, signal: ctx.signal });
  await download.flush();
  try {
    for (;;) {
      const batch = await listPromptsWithoutCompletions({ projectId, limit: 16 });
      if (batch.length === 0) break;
      for (const prompt of batch) {
        const plan = planCompletions(prompt.id, project.decodingPresets as DecodingPreset[], project.completionsPerPrompt);
        const results = await source.generate({ text: prompt.text, messages: prompt.messages }, plan.map((p) => p.config), ctx.signal);
        if (ctx.signal.aborted) throw ctx.signal.reason;
        await insertCompletionsForPrompt({
          promptId: prompt.id,
          rows: results.map((r, i) => ({
            text: stripNul(r.text),
            modelId: source.modelId,
            presetName: plan[i].presetName,
            decodingConfig: decodingConfigToJSON(plan[i].config),
            seed: plan[i].config.seed,
            tokenCount: r.tokenCount,
            finishReason: r.finishReason,
            logprobs: r.logprobs,
          })),
        });
        done++;
        tokens += results.reduce((s, r) => s + r.tokenCount, 0);
        const seconds = (Date.now() - started) / 1000;
        await ctx.progress({ done, total, result: { tokensPerSecond: Math.round(tokens / Math.max(seconds, 1e-3)), tokens } });
      }
    }
  } finally {
    await source.close();
  }
  return { prompts: done, tokens, seconds: Math.round((Date.now() - started) / 1000) };
}

export const generateDefinition = defineJob({ ...generateJob, handler: generateCompletions });
