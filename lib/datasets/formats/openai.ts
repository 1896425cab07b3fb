/**
 * OpenAI preference fine-tuning (DPO) JSONL: {"input": {"messages": [...]},
 * "preferred_output": [assistant msg], "non_preferred_output": [assistant msg]}.
 * The format has no margin field, so a margin on the pair is not written.
 * A pair whose sides answer different conversations is written like TRL
 * conversational: the shared messages as input, each side's own turns before
 * its reply. Other fields, at the top or inside `input` (tools), are kept.
 */
import { z } from "zod";
import type { PairFormat } from "@/lib/datasets/format";
import { fromContinuations, toContinuations } from "@/lib/datasets/formats/conversation";
import {
  assertNotTie,
  chatMessageSchema,
  checkWith,
  extraFields,
  JSONL_FILE,
  parseJsonLines,
  withExtra,
  writeLines,
} from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

const KNOWN = ["input", "preferred_output", "non_preferred_output"] as const;

/** Extra fields of `input` ride in the record's extra under "input", beside the top-level ones. */
function splitInputExtra(extra: Record<string, unknown> | undefined): { input?: Record<string, unknown>; top?: Record<string, unknown> } {
  if (!extra) return {};
  const { input, ...top } = extra;
  return { input: extraFields(input, []), top };
}

export function openAiPreferenceLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, "OpenAI preference format");
  const { prompt, chosen, rejected } = toContinuations(pair);
  const extra = splitInputExtra(pair.extra);
  return JSON.stringify(withExtra({
    input: withExtra({ messages: prompt }, extra.input),
    preferred_output: chosen,
    non_preferred_output: rejected,
  }, extra.top));
}

export function writeOpenAiPreference(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, openAiPreferenceLine);
}

const lineSchema = z.object({
  input: z.object({ messages: z.array(chatMessageSchema) }),
  preferred_output: z.array(chatMessageSchema),
  non_preferred_output: z.array(chatMessageSchema),
});

/** One line's value → a pair; unknown fields (tools, metadata) are kept as its extra. */
export function readOpenAiPreference(value: unknown): LineResult<PairText> {
  const r = checkWith(lineSchema, value);
  if (!r.ok) return r;
  const pair = fromContinuations(r.value.input.messages, r.value.preferred_output, r.value.non_preferred_output);
  if (!pair.ok) return pair;
  // From the parsed JSON itself, like every extra field (see extraFields); checkWith has just shown `input` is there.
  const inputExtra = extraFields((value as { input: unknown }).input, ["messages"]);
  const extra = { ...extraFields(value, KNOWN), ...(inputExtra ? { input: inputExtra } : {}) };
  return { ok: true, value: Object.keys(extra).length > 0 ? { ...pair.value, extra } : pair.value };
}

/** Lines of an OpenAI preference file → pairs. */
export function parseOpenAiPreference(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, readOpenAiPreference);
}

export const openAiFormat: PairFormat<"openai"> = {
  id: "openai",
  label: "OpenAI preference",
  ...JSONL_FILE,
  card: "OpenAI preference fine-tuning format: `input.messages`, `preferred_output`, `non_preferred_output`",
  rows: "pairs",
  holdsTies: false,
  write: writeOpenAiPreference,
  readRecord: readOpenAiPreference,
};
