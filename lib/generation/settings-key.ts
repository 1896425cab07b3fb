import { createHash } from "node:crypto";

/** What a project's completions depend on (its row's fields). */
export interface GenerationSettings {
  modelId: string;
  completionSource: unknown;
  decodingPresets: unknown;
  completionsPerPrompt: number;
}

/**
 * A fingerprint of the settings a prompt's generation ran under, stored with a
 * prompt's skip mark (prompts.generation_error_key). When the project's model,
 * source, presets or K change, the key changes, the old marks no longer apply
 * and those prompts are tried again: a prompt too long for one model may fit the next.
 */
export function generationSettingsKey(s: GenerationSettings): string {
  const canonical = JSON.stringify([s.modelId, s.completionSource ?? null, s.decodingPresets, s.completionsPerPrompt]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 32);
}
