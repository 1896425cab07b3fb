import { z } from "zod";
import { PROMPT_FILE_FORMATS } from "@/lib/datasets/prompt-import";
import { completionSourceSchema } from "@/lib/generation/source";
import { HubError } from "@/lib/hub/errors";
import { isHubModelId, parseHubModelId } from "@/lib/hub/model-id";

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
}).strict();
export type CreateProject = z.infer<typeof createProjectSchema>;

export const updateProjectSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  guidelines: z.string().max(20_000).optional(),
  rankingsPerPrompt: z.number().int().min(1).max(20).optional(),
  status: z.enum(["draft", "active", "paused", "archived"]).optional(),
  revealScores: z.boolean().optional(),
  /** Share of each annotator's tasks that are gold prompts (0 = none injected; gold prompts are then ordinary prompts). */
  goldRate: z.number().min(0).max(0.5).optional(),
  /** K gold prompts a new member ranks before real work (0 = no qualification batch). */
  qualificationSize: z.number().int().min(0).max(50).optional(),
  /** Share of the K that must be right to pass. */
  qualificationPassMark: z.number().gt(0).max(1).optional(),
}).strict();

export const importPromptsSchema = z.object({
  format: z.enum(PROMPT_FILE_FORMATS),
  content: z.string().max(20 * 1024 * 1024),
}).strict();
