/** Parser for OpenAI preference fine-tuning JSONL (the format formats/openai.ts writes). */
import { z } from "zod";
import { checkWith, parseJsonLines } from "@/lib/datasets/import/lines";
import type { LineResult } from "@/lib/datasets/import/lines";
import { chatMessageSchema } from "@/lib/datasets/import/trl";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

const output = z
  .array(chatMessageSchema)
  .length(1, "must be exactly one message")
  .refine((m) => m[0]?.role === "assistant", "must be an assistant message");

export const openAiPreferenceLineSchema = z.object({
  input: z.object({
    messages: z
      .array(chatMessageSchema)
      .min(1, "must hold at least one message")
      .refine((m) => m[m.length - 1]?.role === "user", "must end with a user message"),
  }),
  preferred_output: output,
  non_preferred_output: output,
});

export function validateOpenAiPreference(value: unknown): LineResult<PairText> {
  const r = checkWith(openAiPreferenceLineSchema, value);
  if (!r.ok) return r;
  return {
    ok: true,
    value: {
      prompt: r.value.input.messages,
      chosen: r.value.preferred_output[0]!.content,
      rejected: r.value.non_preferred_output[0]!.content,
    },
  };
}

/** Lines of an OpenAI preference file → pairs; unknown keys (e.g. tools) are ignored. */
export function parseOpenAiPreference(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, validateOpenAiPreference);
}
