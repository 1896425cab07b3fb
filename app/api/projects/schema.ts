import { z } from "zod";
import { PROMPT_FILE_FORMATS } from "@/lib/datasets/prompt-import";

// The project bodies live in lib/projects, shared with `studio project`.
export { createProjectSchema, decodingPresetSchema, modelIdSchema, PROJECT_STATUSES, updateProjectSchema, type CreateProject } from "@/lib/projects/schema";

export const projectIdParamsSchema = z.object({ id: z.uuid() });

export const importPromptsSchema = z.object({
  format: z.enum(PROMPT_FILE_FORMATS),
  content: z.string().max(20 * 1024 * 1024),
}).strict();
