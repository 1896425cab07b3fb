import "server-only";
import { countPromptsWithoutCompletions, insertCompletionsForPrompt, listPromptsWithoutCompletions } from "@/db/queries/completions";
import { getProjectById } from "@/db/queries/projects";
import type { PromptRow } from "@/db/queries/prompts";
import { decodingConfigToJSON } from "@/lib/engine/sampling";
import { stripNul } from "@/lib/jobs/sanitize";
import { openBuiltinSource } from "@/lib/generation/builtin-source";
import { openConfiguredOpenAiSource } from "@/lib/generation/openai-source";
import { throttledProgress } from "@/lib/hub/progress";
import type { ResolveHubOptions } from "@/lib/hub/snapshot";
import { localModelPath } from "@/lib/model-files/load";
import { resolveModelPath } from "@/lib/model-files/model-path";
import { planCompletions, type DecodingPreset } from "@/lib/generation/presets";
import { generationSettingsKey } from "@/lib/generation/settings-key";
import { completionSourceSchema, type CompletionSource, type GeneratedCompletion } from "@/lib/generation/source";
import { PromptError } from "@/lib/model-files/prompt-fit";
import { defineJob, type JobContext } from "../define";
import { generateJob } from "../kinds/generate";
import { blameCrashedPrompt, readCheckpoint, skipPrompt, skippedTotal, type GenerateCheckpoint } from "./generate-skips";

async function openSource(project: { modelId: string; completionSource: unknown }, download: ResolveHubOptions): Promise<CompletionSource> {
  const parsed = completionSourceSchema.safeParse(project.completionSource ?? { type: "builtin" });
  if (!parsed.success) throw new Error(`project completion source is invalid: ${parsed.error.issues[0]?.message}`);
  const cfg = parsed.data;
  if (cfg.type === "openai") return openConfiguredOpenAiSource(cfg);
  // A Hub model is downloaded here, with progress, so the worker thread opens a local path.
  const modelPath = await localModelPath(await resolveModelPath(project.modelId), download);
  return openBuiltinSource({ modelPath, modelId: project.modelId });
}

interface Run {
  done: number;
  total: number;
  tokens: number;
  started: number;
}

const tokensPerSecond = (run: Run) => Math.round(run.tokens / Math.max((Date.now() - run.started) / 1000, 1e-3));

/**
 * Writes K completions for every prompt of a project that has none. Work is
 * stored prompt by prompt, so a cancelled or crashed job resumes where it
 * stopped: prompts already done are no longer in the work list. A prompt that
 * fails on its own (PromptError: too long for the context, a message the
 * template refuses, an engine error, or it killed the worker twice) is marked
 * with the reason and skipped, and the job goes on; anything else (the model
 * cannot load, the endpoint is down, settings no prompt can meet) fails the job.
 */
async function generateCompletions({ projectId }: { projectId: string }, ctx: JobContext): Promise<Record<string, unknown>> {
  const project = await getProjectById({ id: projectId });
  if (!project) throw new Error(`project ${projectId} no longer exists`);
  const settingsKey = generationSettingsKey(project);
  const state = readCheckpoint(ctx.job.checkpoint);
  await blameCrashedPrompt(state, ctx.job.attempts, settingsKey);
  const remainingAtStart = await countPromptsWithoutCompletions({ projectId, settingsKey });
  const alreadyDone = Math.max(0, ctx.job.progressTotal - remainingAtStart);
  const run: Run = { done: alreadyDone, total: alreadyDone + remainingAtStart, tokens: 0, started: Date.now() };
  await ctx.progress({ done: run.done, total: run.total, checkpoint: state, result: { tokensPerSecond: 0 } });
  const download = throttledProgress((p) => ctx.progress({ done: run.done, total: run.total, result: { stage: "download", file: p.file, bytes: p.bytes, totalBytes: p.totalBytes } }));
  const source = await openSource(project, { onProgress: download.onProgress, signal: ctx.signal });
  await download.flush();
  try {
    for (;;) {
      const batch = await listPromptsWithoutCompletions({ projectId, limit: 16, settingsKey });
      if (batch.length === 0) break;
      for (const prompt of batch) await generateOne({ prompt, project, source, settingsKey, state, run, ctx });
    }
  } finally {
    await source.close();
  }
  const skipped = skippedTotal(state);
  return { prompts: run.done - skipped, tokens: run.tokens, seconds: Math.round((Date.now() - run.started) / 1000), skipped, skippedByReason: state.skipped };
}

/** One prompt: its K completions stored, or the prompt marked skipped; progress and the checkpoint around it. */
async function generateOne(a: {
  prompt: PromptRow;
  project: { completionsPerPrompt: number; decodingPresets: unknown };
  source: CompletionSource;
  settingsKey: string;
  state: GenerateCheckpoint;
  run: Run;
  ctx: JobContext;
}): Promise<void> {
  const { prompt, source, state, run, ctx } = a;
  const plan = planCompletions(prompt.id, a.project.decodingPresets as DecodingPreset[], a.project.completionsPerPrompt);
  // Recorded before generating: if the worker dies now, the next attempt knows which prompt it died on.
  state.current = prompt.id;
  await ctx.progress({ done: run.done, total: run.total, checkpoint: state });
  let results: GeneratedCompletion[] | null = null;
  try {
    results = await source.generate({ text: prompt.text, messages: prompt.messages }, plan.map((p) => p.config), ctx.signal);
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (!(err instanceof PromptError)) throw err;
    await skipPrompt(state, { promptId: prompt.id, kind: err.kind, reason: err.message, settingsKey: a.settingsKey });
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (results) {
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
    run.tokens += results.reduce((s, r) => s + r.tokenCount, 0);
  }
  run.done++;
  state.current = null;
  await ctx.progress({ done: run.done, total: run.total, checkpoint: state, result: { tokensPerSecond: tokensPerSecond(run), tokens: run.tokens, skipped: skippedTotal(state) } });
}

export const generateDefinition = defineJob({ ...generateJob, handler: generateCompletions });
