/**
 * A project's settings as every entry point takes them: the API's POST and
 * PATCH bodies (app/api/projects/schema.ts re-exports these) and
 * `studio project create|update`, so both refuse the same values with the
 * same messages.
 */
import { z } from "zod";
import { completionSourceSchema } from "@/lib/generation/source";
import { HubError } from "@/lib/hub/errors";
import { isHubModelId, parseHubModelId } from "@/lib/hub/model-id";
import { modelPathProblem } from "@/lib/model-files/model-path";
import { rubricSchema } from "@/lib/ranking/rubric";

export const decodingPresetSchema = z.object({
  name: z.string().trim().min(1).max(60),
  /** A decoding config in the engine's serialised form; validated by the engine's parser on create. */
  config: z.record(z.string(), z.unknown()),
});

/**
 * "demo", a path inside the models folder (MODELS_DIR; the worker checks the
 * real path again when it opens the model), or an `hf:` Hub id, which must
 * parse (it is fetched when generation starts).
 */
export const modelIdSchema = z.string().trim().min(1).max(500).superRefine((v, ctx) => {
  if (!isHubModelId(v)) {
    const problem = modelPathProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
    return;
  }
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
 * the presets and the completion source apply to completions generated from then on (existing
 * completions stay); a rubric applies to rankings submitted from then on, stored rankings keep
 * what they recorded.
 */
export const updateProjectSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  guidelines: z.string().max(20_000).optional(),
  completionsPerPrompt: z.number().int().min(2).max(9).optional(),
  rankingsPerPrompt: z.number().int().min(1).max(20).optional(),
  modelId: modelIdSchema.optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  revealScores: z.boolean().optional(),
  decodingPresets: z.array(decodingPresetSchema).min(1).max(9).optional(),
  completionSource: completionSourceSchema.optional(),
  rubric: rubricSchema.optional(),
  /** Share of each annotator's tasks that are gold prompts (0 = none injected; gold prompts are then ordinary prompts). */
  goldRate: z.number().min(0).max(0.5).optional(),
  /** K gold prompts a new member ranks before real work (0 = no qualification batch). */
  qualificationSize: z.number().int().min(0).max(50).optional(),
  /** Share of the K that must be right to pass. */
  qualificationPassMark: z.number().gt(0).max(1).optional(),
}).strict();
export type UpdateProject = z.infer<typeof updateProjectSchema>;
