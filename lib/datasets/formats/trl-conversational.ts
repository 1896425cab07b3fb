/**
 * TRL "conversational" preference format: the prompt is a message list,
 * chosen and rejected are the messages each side goes on with, the
 * assistant's reply last (usually just that one message) (+ "margin").
 * A pair whose sides answer different conversations is written as TRL's
 * extract_prompt would: the shared messages as the prompt, each side's own
 * turns before its reply (see conversation.ts).
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
  marginField,
  parseJsonLines,
  withExtra,
  writeLines,
} from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

const KNOWN = ["prompt", "chosen", "rejected"] as const;

export function trlConversationalLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, "TRL conversational format");
  const { prompt, chosen, rejected } = toContinuations(pair);
  return JSON.stringify(withExtra({ prompt, chosen, rejected, ...marginField(pair) }, pair.extra));
}

export function writeTrlConversational(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, trlConversationalLine);
}

const lineSchema = z.object({
  prompt: z.array(chatMessageSchema),
  chosen: z.array(chatMessageSchema),
  rejected: z.array(chatMessageSchema),
});

/** One line's value → a pair; fields other than prompt, chosen and rejected (a margin, an id) are kept as its extra. */
export function readTrlConversational(value: unknown): LineResult<PairText> {
  const r = checkWith(lineSchema, value);
  if (!r.ok) return r;
  const pair = fromContinuations(r.value.prompt, r.value.chosen, r.value.rejected);
  if (!pair.ok) return pair;
  const extra = extraFields(value, KNOWN);
  return { ok: true, value: extra ? { ...pair.value, extra } : pair.value };
}

/** Lines of a TRL conversational file → pairs. */
export function parseTrlConversational(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, readTrlConversational);
}

export const trlConversationalFormat: PairFormat<"trl-conversational"> = {
  id: "trl-conversational",
  label: "TRL conversational",
  ...JSONL_FILE,
  card: "TRL conversational preference format: `prompt` is a message list, `chosen`/`rejected` the messages each side goes on with (the reply last)",
  rows: "pairs",
  holdsTies: false,
  write: writeTrlConversational,
  readRecord: readTrlConversational,
};
