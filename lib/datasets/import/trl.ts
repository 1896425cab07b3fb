/** Parsers for TRL's standard and conversational preference JSONL. */
import { z } from "zod";
import { checkWith, parseJsonLines } from "@/lib/datasets/import/lines";
import type { LineResult } from "@/lib/datasets/import/lines";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

export const chatMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

const margin = z.number().optional();

export const trlStandardLineSchema = z.object({
  prompt: z.string(),
  chosen: z.string(),
  rejected: z.string(),
  margin,
});
export type TrlStandardLine = z.infer<typeof trlStandardLineSchema>;

/**
 * A reply is exactly one assistant message; longer continuations do not fit a
 * single completion. Refinements use `?.` because zod still runs them after a
 * failed length check, and an empty array must become a line error, not a crash.
 */
const reply = z
  .array(chatMessageSchema)
  .length(1, "must be exactly one message")
  .refine((m) => m[0]?.role === "assistant", "must be an assistant message");

export const trlConversationalLineSchema = z.object({
  prompt: z
    .array(chatMessageSchema)
    .min(1, "must hold at least one message")
    .refine((m) => m[m.length - 1]?.role === "user", "must end with a user message"),
  chosen: reply,
  rejected: reply,
  margin,
});
export type TrlConversationalLine = z.infer<typeof trlConversationalLineSchema>;

function withMargin(pair: PairText, m: number | undefined): PairText {
  return m === undefined ? pair : { ...pair, margin: m };
}

export function validateTrlStandard(value: unknown): LineResult<PairText> {
  const r = checkWith(trlStandardLineSchema, value);
  if (!r.ok) return r;
  const { prompt, chosen, rejected } = r.value;
  return { ok: true, value: withMargin({ prompt: [{ role: "user", content: prompt }], chosen, rejected }, r.value.margin) };
}

export function validateTrlConversational(value: unknown): LineResult<PairText> {
  const r = checkWith(trlConversationalLineSchema, value);
  if (!r.ok) return r;
  const pair = { prompt: r.value.prompt, chosen: r.value.chosen[0]!.content, rejected: r.value.rejected[0]!.content };
  return { ok: true, value: withMargin(pair, r.value.margin) };
}

/** Lines of a TRL standard file → pairs; unknown keys are ignored. */
export function parseTrlStandard(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, validateTrlStandard);
}

/** Lines of a TRL conversational file → pairs; unknown keys are ignored. */
export function parseTrlConversational(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, validateTrlConversational);
}
