import "server-only";
import path from "node:path";
import type { ModelVersionRow } from "@/db/queries/model-versions";
import { getProjectById, type ProjectRow } from "@/db/queries/projects";
import { countGenerationWork, countPassWork, getGenerationPasses, listPassWork, listVersionFillers, storePassCompletions } from "@/db/queries/version-slots";
import { decodingConfigToJSON } from "@/lib/engine/sampling";
import { env } from "@/lib/env";
import { stripNul } from "@/lib/jobs/sanitize";
import { openBuiltinSource } from "@/lib/generation/builtin-source";
import { openConfiguredOpenAiSource } from "@/lib/generation/openai-source";
import { isHubModelId } from "@/lib/hub/model-id";
import { throttledProgress } from "@/lib/hub/progress";
import type { ResolveHubOptions } from "@/lib/hub/snapshot";
import { localModelPath } from "@/lib/model-files/load";
import type { GenerationPass } from "@/lib/models/slots";
import { planCompletions, resolveSlots, type DecodingPreset, type ResolvedSlot } from "@/lib/generation/presets";
import { completionSourceSchema, type CompletionSource } from "@/lib/generation/source";
import { openVersionSource } from "@/lib/generation/version-source";
import { defineJob, type JobContext } from "../define";
import { generateJob } from "../kinds/generate";

/** "demo" (or empty) means MODEL_PATH; an `hf:` Hub id stays as it is (the loaders fetch it); anything else is a path to a HF folder or .gguf file. */
export function resolveModelPath(modelId: string): string {
  const spec = modelId === "demo" || modelId === "" ? env().MODEL_PATH : modelId;
  return isHubModelId(spec) ? spec : path.resolve(spec);
}

async function openSource(project: { modelId: string; completionSource: unknown }, download: ResolveHubOptions): Promise<CompletionSource> {
  const parsed = completionSourceSchema.safeParse(project.completionSource ?? { type: "builtin" });
  if (!parsed.success) throw new Error(`project completion source is invalid: ${parsed.error.issues[0]?.message}`);
  const cfg = parsed.data;
  if (cfg.type === "openai") return openConfiguredOpenAiSource(cfg);
  // A Hub model is downloaded here, with progress, so the worker thread opens a local path.
  const modelPath = await localModelPath(resolveModelPath(project.modelId), download);
  return openBuiltinSource({ modelPath, modelId: project.modelId });
}

/** The source of one pass: the project's own model or source for "base", the version's endpoint or trained folder otherwise. */
function openPassSource(version: ModelVersionRow, project: ProjectRow, download: ResolveHubOptions): Promise<CompletionSource> {
  return version.kind === "base" ? openSource(project, download) : openVersionSource(version);
}

interface RoundProgress {
  done: number;
  total: number;
  tokens: number;
  started: number;
}

/** One pass of the round: the prompts lacking `version`'s completions get them, prompt by prompt. */
async function fillPass(run: { project: ProjectRow; pass: GenerationPass; version: ModelVersionRow; slots: ResolvedSlot[]; ctx: JobContext; at: RoundProgress }): Promise<void> {
  const { project, pass, version, slots, ctx, at } = run;
  const download = throttledProgress((p) => ctx.progress({ done: at.done, total: at.total, result: { stage: "download", file: p.file, bytes: p.bytes, totalBytes: p.totalBytes } }));
  const source = await openPassSource(version, project, { onProgress: download.onProgress, signal: ctx.signal });
  await download.flush();
  const seen = new Set<string>();
  try {
    for (;;) {
      const batch = await listPassWork({ projectId: project.id, pass, limit: 16 });
      if (batch.length === 0) break;
      for (const prompt of batch) {
        // The planner and the work list agree on what a prompt lacks; if they ever did not, stop rather than loop.
        if (seen.has(prompt.id)) throw new Error(`prompt ${prompt.id} still lacks completions of model version "${version.name}" after they were written`);
        seen.add(prompt.id);
        const existing = pass.need ? await listVersionFillers({ promptId: prompt.id, versionId: pass.versionId }) : [];
        const plan = planCompletions(prompt.id, slots, pass.versionId, existing);
        const results = await source.generate({ text: prompt.text, messages: prompt.messages }, plan.map((p) => p.config), ctx.signal);
        if (ctx.signal.aborted) throw ctx.signal.reason;
        await storePassCompletions({
          promptId: prompt.id,
          pass,
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
        at.done++;
        at.tokens += results.reduce((s, r) => s + r.tokenCount, 0);
        const seconds = (Date.now() - at.started) / 1000;
        await ctx.progress({ done: at.done, total: at.total, result: { tokensPerSecond: Math.round(at.tokens / Math.max(seconds, 1e-3)), tokens: at.tokens } });
      }
    }
  } finally {
    await source.close();
  }
}

/**
 * Fills every prompt's completion slots (lib/models/slots.ts): one pass per
 * model version, loading one model at a time, over the prompts that lack
 * that version's completions. Without a slot setting that is K completions of
 * the project's model for every prompt that has none. Work is stored prompt
 * by prompt, so a cancelled or crashed job resumes where it stopped: prompts
 * already done are no longer in the work lists.
 */
async function generateCompletions({ projectId }: { projectId: string }, ctx: JobContext): Promise<Record<string, unknown>> {
  const project = await getProjectById({ id: projectId });
  if (!project) throw new Error(`project ${projectId} no longer exists`);
  const { base, passes } = await getGenerationPasses({ projectId });
  const slots = resolveSlots(project.completionSlots, { baseId: base.id, presets: project.decodingPresets as DecodingPreset[], k: project.completionsPerPrompt });
  const remainingAtStart = await countGenerationWork({ projectId });
  const alreadyDone = Math.max(0, ctx.job.progressTotal - remainingAtStart);
  const at: RoundProgress = { done: alreadyDone, total: alreadyDone + remainingAtStart, tokens: 0, started: Date.now() };
  await ctx.progress({ done: at.done, total: at.total, result: { tokensPerSecond: 0 } });
  for (const { pass, version } of passes) {
    // A version with nothing to fill is not loaded.
    if ((await countPassWork({ projectId, pass })) > 0) await fillPass({ project, pass, version, slots, ctx, at });
  }
  return { prompts: at.done, tokens: at.tokens, seconds: Math.round((Date.now() - at.started) / 1000) };
}

export const generateDefinition = defineJob({ ...generateJob, handler: generateCompletions });
