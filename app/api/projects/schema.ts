import { z } from "zod";
import { PROMPT_FILE_FORMATS } from "@/lib/datasets/prompt-import";
import { completionSourceSchema } from "@/lib/generation/source";
import { HubError } from "@/lib/hub/errors";
import { isHubModelId, parseHubModelId } from "@/lib/hub/model-id";
import { rubricSchema } from "@/lib/ranking/rubric";

export const projectIdParamsSchema = z.object({ id: z.uuid() });

export const decodingPresetSchema = z.object({
  name: z.string().trim().min(1).max(60),
  /** A decoding config in the engine's serialised form; validated by the engine's parser on create. */
  config: z.record(z.string(), z.unknown()),
});

/** "demo", a path on the server, or an `hf:` Hub id, which must parse (it is fetched when generation starts). */
export const modelIdSchema = z.string().trim().min(1).max(500).superRefine((v, ctx) => {
  if (!isHubModelId(v)) return;
  try {
    parseHubModelId(v);
  } catch (e) {
    if (!(e instanceof HubError)) throw e;
    ctx.addIssue({ code: "custom", message: e.message });
  }
});

export const createProjectSchema = z.object({
  name: z.string().trim().min(1).max(120),
  guidelines: z.string().max(20_000).default(""),
  completionsPerPrompt: z.number().int().min(2).max(9),
  rankingsPerPrompt: z.number().int().min(1).max(20),
  modelId: modelIdSchema.default("demo"),
  decodingPresets: z.array(decodingPresetSchema).min(1).max(9),
  completionSource: completionSourceSchema.optional(),
  liveMode: z.boolean().default(false),
  /** Without one, the project gets the default rubric (full ranking, four flags, overall rating). */
  rubric: rubricSchema.optional(),
}).strict();
export type CreateProject = z.infer<typeof createProjectSchema>;

export const PROJECT_STATUSES = ["draft", "active", "paused", "archived"] as const;

/**
 * Everything an admin may change later (the settings page sends only what changed). K, the model,
 * the presets and the completion source apply to completions generated from then on; a rubric
 * applies to rankings submitted from then on, stored rankings keep what they recorded.
 */
export const updateProjectSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  guidelines: z.string().max(20_000).optional(),
  completionsPerPrompt: z.number().int().min(2).max(9).optional(),
  rankingsPerPrompt: z.number().int().min(1).max(20).optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  revealScores: z.boolean().optional(),
  modelId: modelIdSchema.optional(),
  decodingPresets: z.array(decodingPresetSchema).min(1).max(9).optional(),
  completionSource: completionSourceSchema.optional(),
  rubric: rubricSchema.optional(),
}).strict();

export const importPromptsSchema = z.object({
  format: z.enum(PROMPT_FILE_FORMATS),
  content: z.string().max(20 * 1024 * 1024),
}).strict();
