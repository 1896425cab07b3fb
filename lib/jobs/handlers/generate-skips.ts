import "server-only";
import { z } from "zod";
import { markPromptSkipped } from "@/db/queries/prompts";
import type { PromptFailureKind } from "@/lib/model-files/prompt-fit";
import { storableMessage } from "../sanitize";

/**
 * What the generation job keeps in its checkpoint, so it survives the job's
 * worker dying and the job being claimed again:
 * - `current`: the prompt being generated (set before, cleared after). A new
 *   attempt that finds it set knows the last worker died on that prompt.
 * - `crashes`: how often a worker died on each prompt; a prompt that killed
 *   CRASHES_BEFORE_SKIP workers is skipped, so one prompt that exhausts memory
 *   or crashes the engine cannot use up every attempt of the job.
 * - `skipped`: how many prompts this job skipped, by kind of failure.
 */
const checkpointSchema = z.object({
  current: z.string().nullable().catch(null),
  crashes: z.record(z.string(), z.number()).catch({}),
  skipped: z.partialRecord(z.enum(["too_long", "bad_prompt", "engine_error", "worker_stopped"]), z.number()).catch({}),
});
export type GenerateCheckpoint = z.infer<typeof checkpointSchema>;

export const CRASHES_BEFORE_SKIP = 2;

/** The checkpoint as stored (a fresh object: the handler mutates it), or an empty one. */
export function readCheckpoint(stored: Record<string, unknown> | null): GenerateCheckpoint {
  const parsed = checkpointSchema.safeParse(stored ?? {});
  // Copies: zod hands out the same `.catch` fallback object on every parse.
  return parsed.success ? { current: parsed.data.current, crashes: { ...parsed.data.crashes }, skipped: { ...parsed.data.skipped } } : { current: null, crashes: {}, skipped: {} };
}

export const skippedTotal = (state: GenerateCheckpoint): number => Object.values(state.skipped).reduce((a, b) => a + (b ?? 0), 0);

/** Marks the prompt skipped (with the reason and the settings it failed under) and counts it. */
export async function skipPrompt(state: GenerateCheckpoint, input: { promptId: string; kind: PromptFailureKind; reason: string; settingsKey: string }): Promise<void> {
  const marked = await markPromptSkipped({ promptId: input.promptId, reason: storableMessage(input.reason, 500), settingsKey: input.settingsKey });
  if (marked) state.skipped[input.kind] = (state.skipped[input.kind] ?? 0) + 1;
}

/**
 * On a new attempt (the last worker died), blames the prompt that was being
 * generated, and skips it once it has killed CRASHES_BEFORE_SKIP workers.
 */
export async function blameCrashedPrompt(state: GenerateCheckpoint, attempt: number, settingsKey: string): Promise<void> {
  const promptId = state.current;
  state.current = null;
  if (attempt <= 1 || promptId === null) return;
  const crashes = (state.crashes[promptId] ?? 0) + 1;
  state.crashes[promptId] = crashes;
  if (crashes < CRASHES_BEFORE_SKIP) return;
  const reason = `the worker stopped ${crashes} times while generating this prompt (out of memory, or a crash in the engine)`;
  await skipPrompt(state, { promptId, kind: "worker_stopped", reason, settingsKey });
}
