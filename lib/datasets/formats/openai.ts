/**
 * OpenAI preference fine-tuning (DPO) JSONL: {"input": {"messages": [...]},
 * "preferred_output": [assistant msg], "non_preferred_output": [assistant msg]}.
 * The format has no margin field, so a margin on the pair is not written.
 */
import { z } from "zod";
import type { PairFormat } from "@/lib/datasets/format";
import {
  assertNotTie,
  assistantReplySchema,
  checkWith,
  JSONL_FILE,
  parseJsonLines,
  promptMessagesSchema,
  writeLines,
} from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

export function openAiPreferenceLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, "OpenAI preference format");
  return JSON.stringify({
    input: { messages: pair.prompt.map(({ role, content }) => ({ role, content })) },
    preferred_output: [{ role: "assistant", content: pair.chosen }],
    non_preferred_output: [{ role: "assistant", content: pair.rejected }],
  });
}

export function writeOpenAiPreference(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, openAiPreferenceLine);
}

const lineSchema = z.object({
  input: z.object({ messages: promptMessagesSchema }),
  preferred_output: assistantReplySchema,
  non_preferred_output: assistantReplySchema,
});

function validate(value: unknown): LineResult<PairText> {
  const r = checkWith(lineSchema, value);
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
  return parseJsonLines(lines, validate);
}

export const openAiFormat: PairFormat<"openai"> = {
  id: "openai",
  label: "OpenAI preference",
  ...JSONL_FILE,
  card: "OpenAI preference fine-tuning format: `input.messages`, `preferred_output`, `non_preferred_output`",
  rows: "pairs",
  holdsTies: false,
  write: writeOpenAiPreference,
  parse: parseOpenAiPreference,
};
