import "server-only";
import type { ModelVersionRow } from "@/db/queries/model-versions";
import { getProjectById, type ProjectRow } from "@/db/queries/projects";
import type { PromptRow } from "@/db/queries/prompts";
import { countGenerationWork, countPassWork, getGenerationPasses, listPassWork, listVersionFillers, storePassCompletions } from "@/db/queries/version-slots";
import { decodingConfigToJSON } from "@/lib/engine/sampling";
import { stripNul } from "@/lib/jobs/sanitize";
import { openBuiltinSource } from "@/lib/generation/builtin-source";
import { openConfiguredOpenAiSource } from "@/lib/generation/openai-source";
import { throttledProgress } from "@/lib/hub/progress";
import type { ResolveHubOptions } from "@/lib/hub/snapshot";
import { localModelPath } from "@/lib/model-files/load";
import { resolveModelPath } from "@/lib/model-files/model-path";
import type { GenerationPass } from "@/lib/models/slots";
import { planCompletions, resolveSlots, type DecodingPreset, type ResolvedSlot } from "@/lib/generation/presets";
import { generationSettingsKey } from "@/lib/generation/settings-key";
import { completionSourceSchema, type CompletionSource, type GeneratedCompletion } from "@/lib/generation/source";
import { openVersionSource } from "@/lib/generation/version-source";
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

/** The source of one pass: the project's own model or source for "base", the version's endpoint or trained folder otherwise. */
function openPassSource(version: ModelVersionRow, project: ProjectRow, download: ResolveHubOptions): Promise<CompletionSource> {
  return version.kind === "base" ? openSource(project, download) : openVersionSource(version);
}

interface Run {
  done: number;
  total: number;
  tokens: number;
  started: number;
}

/** What every pass of one round shares: the project, its slots, the skip marks' settings key, the checkpoint and progress. */
interface Round {
  project: ProjectRow;
  slots: ResolvedSlot[];
  settingsKey: string;
  state: GenerateCheckpoint;
  run: Run;
  ctx: JobContext;
}

const tokensPerSecond = (run: Run) => Math.round(run.tokens / Math.max((Date.now() - run.started) / 1000, 1e-3));

/**
 * Fills every prompt's completion slots (lib/models/slots.ts): one pass per
 * model version, loading one model at a time, over the prompts that lack that
 * version's completions. Without a slot setting that is K completions of the
 * project's model for every prompt that has none. Work is stored prompt by
 * prompt, so a cancelled or crashed job resumes where it stopped: prompts
 * already done are no longer in the work lists. A prompt that fails on its
 * own (PromptError: too long for the context, a message the template refuses,
 * an engine error, or it killed the worker twice) is marked with the reason
 * and skipped, and the job goes on; anything else (the model cannot load, the
 * endpoint is down, settings no prompt can meet) fails the job.
 */
async function generateCompletions({ projectId }: { projectId: string }, ctx: JobContext): Promise<Record<string, unknown>> {
  const project = await getProjectById({ id: projectId });
  if (!project) throw new Error(`project ${projectId} no longer exists`);
  const settingsKey = generationSettingsKey(project);
  const state = readCheckpoint(ctx.job.checkpoint);
  await blameCrashedPrompt(state, ctx.job.attempts, settingsKey);
  const { base, passes } = await getGenerationPasses({ projectId });
  const slots = resolveSlots(project.completionSlots, { baseId: base.id, presets: project.decodingPresets as DecodingPreset[], k: project.completionsPerPrompt });
  const remainingAtStart = await countGenerationWork({ projectId, settingsKey });
  const alreadyDone = Math.max(0, ctx.job.progressTotal - remainingAtStart);
  const run: Run = { done: alreadyDone, total: alreadyDone + remainingAtStart, tokens: 0, started: Date.now() };
  await ctx.progress({ done: run.done, total: run.total, checkpoint: state, result: { tokensPerSecond: 0 } });
  const round: Round = { project, slots, settingsKey, state, run, ctx };
  for (const { pass, version } of passes) {
    // A version with nothing to fill is not loaded.
    if ((await countPassWork({ projectId, pass, settingsKey })) > 0) await fillPass(round, pass, version);
  }
  const skipped = skippedTotal(state);
  return { prompts: run.done - skipped, tokens: run.tokens, seconds: Math.round((Date.now() - run.started) / 1000), skipped, skippedByReason: state.skipped };
}

/** One pass of the round: the prompts lacking `version`'s completions get them, prompt by prompt. */
async function fillPass(round: Round, pass: GenerationPass, version: ModelVersionRow): Promise<void> {
  const { project, run, ctx } = round;
  const download = throttledProgress((p) => ctx.progress({ done: run.done, total: run.total, result: { stage: "download", file: p.file, bytes: p.bytes, totalBytes: p.totalBytes } }));
  const source = await openPassSource(version, project, { onProgress: download.onProgress, signal: ctx.signal });
  await download.flush();
  const seen = new Set<string>();
  try {
    for (;;) {
      const batch = await listPassWork({ projectId: project.id, pass, limit: 16, settingsKey: round.settingsKey });
      if (batch.length === 0) break;
      for (const prompt of batch) {
        // The planner and the work list agree on what a prompt lacks; if they ever did not, stop rather than loop.
        if (seen.has(prompt.id)) throw new Error(`prompt ${prompt.id} still lacks completions of model version "${version.name}" after they were written`);
        seen.add(prompt.id);
        await generateOne(round, { prompt, pass, source });
      }
    }
  } finally {
    await source.close();
  }
}

/** One prompt of a pass: its missing completions stored, or the prompt marked skipped; progress and the checkpoint around it. */
async function generateOne(round: Round, a: { prompt: PromptRow; pass: GenerationPass; source: CompletionSource }): Promise<void> {
  const { state, run, ctx } = round;
  const { prompt, pass, source } = a;
  const existing = pass.need ? await listVersionFillers({ promptId: prompt.id, versionId: pass.versionId }) : [];
  const plan = planCompletions(prompt.id, round.slots, pass.versionId, existing);
  // Recorded before generating: if the worker dies now, the next attempt knows which prompt it died on.
  state.current = prompt.id;
  await ctx.progress({ done: run.done, total: run.total, checkpoint: state });
  let results: GeneratedCompletion[] | null = null;
  try {
    results = await source.generate({ text: prompt.text, messages: prompt.messages }, plan.map((p) => p.config), ctx.signal);
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (!(err instanceof PromptError)) throw err;
    await skipPrompt(state, { promptId: prompt.id, kind: err.kind, reason: err.message, settingsKey: round.settingsKey });
  }
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (results) {
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
    run.tokens += results.reduce((s, r) => s + r.tokenCount, 0);
  }
  run.done++;
  state.current = null;
  await ctx.progress({ done: run.done, total: run.total, checkpoint: state, result: { tokensPerSecond: tokensPerSecond(run), tokens: run.tokens, skipped: skippedTotal(state) } });
}

export const generateDefinition = defineJob({ ...generateJob, handler: generateCompletions });
