/**
 * TRL "conversational" preference format: the prompt is the message list,
 * chosen and rejected are one assistant message each (+ "margin").
 */
import { z } from "zod";
import type { PairFormat } from "@/lib/datasets/format";
import {
  assertNotTie,
  assistantReplySchema,
  checkWith,
  JSONL_FILE,
  marginField,
  parseJsonLines,
  promptMessagesSchema,
  withMargin,
  writeLines,
} from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

export function trlConversationalLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, "TRL conversational format");
  return JSON.stringify({
    prompt: pair.prompt.map(({ role, content }) => ({ role, content })),
    chosen: [{ role: "assistant", content: pair.chosen }],
    rejected: [{ role: "assistant", content: pair.rejected }],
    ...marginField(pair),
  });
}

export function writeTrlConversational(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, trlConversationalLine);
}

const lineSchema = z.object({
  prompt: promptMessagesSchema,
  chosen: assistantReplySchema,
  rejected: assistantReplySchema,
  margin: z.number().optional(),
});

function validate(value: unknown): LineResult<PairText> {
  const r = checkWith(lineSchema, value);
  if (!r.ok) return r;
  const pair = { prompt: r.value.prompt, chosen: r.value.chosen[0]!.content, rejected: r.value.rejected[0]!.content };
  return { ok: true, value: withMargin(pair, r.value.margin) };
}

/** Lines of a TRL conversational file → pairs; unknown keys are ignored. */
export function parseTrlConversational(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, validate);
}

export const trlConversationalFormat: PairFormat<"trl-conversational"> = {
  id: "trl-conversational",
  label: "TRL conversational",
  ...JSONL_FILE,
  card: "TRL conversational preference format: `prompt` is a message list, `chosen`/`rejected` one assistant message each",
  rows: "pairs",
  holdsTies: false,
  write: writeTrlConversational,
  parse: parseTrlConversational,
};
