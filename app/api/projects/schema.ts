import { z } from "zod";

export const decodingPresetSchema = z.object({
  name: z.string().trim().min(1).max(60),
  /** A decoding config in the engine's serialised form; validated by the engine's parser on create. */
  config: z.record(z.string(), z.unknown()),
});

export const createProjectSchema = z.object({
  name: z.string().trim().min(1).max(120),
  guidelines: z.string().max(20_000).default(""),
  completionsPerPrompt: z.number().int().min(2).max(9),
  rankingsPerPrompt: z.number().int().min(1).max(20),
  modelId: z.string().trim().min(1).max(500).default("demo"),
  decodingPresets: z.array(decodingPresetSchema).min(1).max(9),
  liveMode: z.boolean().default(false),
}).strict();
export type CreateProject = z.infer<typeof createProjectSchema>;
