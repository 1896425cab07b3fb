/**
 * Parser for Anthropic HH-RLHF JSONL. A line holds two full transcripts; the
 * prompt is everything up to and including the last "\n\nAssistant:" both
 * share, the replies are what follows it in each.
 */
import { z } from "zod";
import { ASSISTANT, HUMAN } from "@/lib/datasets/formats/hh";
import { checkWith, parseJsonLines } from "@/lib/datasets/import/lines";
import type { LineResult } from "@/lib/datasets/import/lines";
import type { AnyIterable, ChatMessage, PairText } from "@/lib/datasets/types";

export const hhLineSchema = z.object({ chosen: z.string(), rejected: z.string() });

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The writer puts one space after a marker; drop exactly that one so other leading whitespace survives. */
const dropMarkerSpace = (s: string) => (s.startsWith(" ") ? s.slice(1) : s);

/** Transcript "\n\nHuman: a\n\nAssistant: b\n\nHuman: c" → messages. */
export function parseHhTranscript(text: string): LineResult<ChatMessage[]> {
  if (!text.startsWith(HUMAN)) return { ok: false, message: `transcript must start with ${JSON.stringify(HUMAN)}` };
  const markers = /\n\n(Human|Assistant):/g;
  const found = [...text.matchAll(markers)];
  const messages = found.map((m, i): ChatMessage => {
    const end = i + 1 < found.length ? found[i + 1]!.index : text.length;
    return {
      role: m[1] === "Human" ? "user" : "assistant",
      content: dropMarkerSpace(text.slice(m.index + m[0].length, end)),
    };
  });
  return { ok: true, value: messages };
}

/** Splits a chosen/rejected transcript pair into prompt messages and the two replies. */
export function splitHhPair(chosen: string, rejected: string): LineResult<PairText> {
  if (chosen === rejected) return { ok: false, message: "chosen and rejected are identical" };
  const shared = commonPrefixLength(chosen, rejected);
  // Last marker that ends inside the shared prefix: search from the last position it could start at.
  const at = shared >= ASSISTANT.length ? chosen.lastIndexOf(ASSISTANT, shared - ASSISTANT.length) : -1;
  if (at < 0) return { ok: false, message: `chosen and rejected share no ${JSON.stringify(ASSISTANT)} turn` };
  const cut = at + ASSISTANT.length;
  const replies = [chosen.slice(cut), rejected.slice(cut)];
  if (replies.some((r) => r.includes(HUMAN) || r.includes(ASSISTANT))) {
    return { ok: false, message: "chosen and rejected differ before their final assistant reply" };
  }
  const prompt = parseHhTranscript(chosen.slice(0, at));
  if (!prompt.ok) return prompt;
  if (prompt.value[prompt.value.length - 1]!.role !== "user") {
    return { ok: false, message: "the turn before the final assistant reply must be a human turn" };
  }
  return {
    ok: true,
    value: { prompt: prompt.value, chosen: dropMarkerSpace(replies[0]!), rejected: dropMarkerSpace(replies[1]!) },
  };
}

export function validateHh(value: unknown): LineResult<PairText> {
  const r = checkWith(hhLineSchema, value);
  return r.ok ? splitHhPair(r.value.chosen, r.value.rejected) : r;
}

/** Lines of an HH file → pairs with the shared dialogue as the prompt. */
export function parseHh(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, validateHh);
}
