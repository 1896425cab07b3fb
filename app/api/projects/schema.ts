import { z } from "zod";
import { PROMPT_FILE_FORMATS } from "@/lib/datasets/prompt-import";
import { completionSourceSchema } from "@/lib/generation/source";
import { HubError } from "@/lib/hub/errors";
import { isHubModelId, parseHubModelId } from "@/lib/hub/model-id";
import { modelPathProblem } from "@/lib/model-files/model-path";

export const projectIdParamsSchema = z.object({ id: z.uuid() });

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
}).strict();
export type CreateProject = z.infer<typeof createProjectSchema>;

export const updateProjectSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  guidelines: z.string().max(20_000).optional(),
  rankingsPerPrompt: z.number().int().min(1).max(20).optional(),
  status: z.enum(["draft", "active", "paused", "archived"]).optional(),
  revealScores: z.boolean().optional(),
}).strict();

export const importPromptsSchema = z.object({
  format: z.enum(PROMPT_FILE_FORMATS),
  content: z.string().max(20 * 1024 * 1024),
}).strict();
