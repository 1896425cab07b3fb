import { z } from "zod";
import { completionSourceSchema } from "@/lib/generation/source";
import { versionNameSchema } from "@/lib/models/names";
import { completionSlotsSchema } from "@/lib/models/slots";

export const versionParamsSchema = z.object({ id: z.uuid(), versionId: z.uuid() });

/** An OpenAI-compatible endpoint as a new version (models trained here are registered by their jobs and `studio versions add`). */
export const createEndpointVersionSchema = z.object({
  name: versionNameSchema,
  source: completionSourceSchema.refine((s) => s.type === "openai", "must be an OpenAI-compatible endpoint ({ type: \"openai\", baseUrl, model, … })"),
  /** The version it was derived from, when there is one (e.g. the base model it fine-tunes). */
  parentId: z.uuid().nullable().default(null),
}).strict();

export const setSlotsSchema = z.object({ slots: completionSlotsSchema }).strict();

export const downloadQuerySchema = z.object({ format: z.enum(["hf", "gguf"]).default("hf") });
