/**
 * Anthropic HH-RLHF format: {"chosen": transcript, "rejected": transcript},
 * each a full dialogue "\n\nHuman: …\n\nAssistant: …" ending with the
 * assistant's reply. The format has no margin field and no system role.
 *
 * A turn is its marker, one space and the text, exactly as Anthropic's files
 * write it; a marker without the space ("\n\nHuman:" quoted inside a reply)
 * is text. Reading and writing are exact inverses: a transcript splits into
 * turns at every "\n\nHuman: " / "\n\nAssistant: ", the reply is everything
 * after the last "\n\nAssistant: ", and writing joins them back, so empty
 * replies, leading and trailing spaces and any unicode come back unchanged.
 * Each side keeps the conversation before its own reply: when the two differ
 * before the last reply, the chosen side's is the prompt and the rejected
 * side carries its own (rejectedContext).
 */
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import type { PairFormat } from "@/lib/datasets/format";
import { sameMessages, sideContexts } from "@/lib/datasets/formats/conversation";
import { assertNotTie, checkWith, extraFields, JSONL_FILE, parseJsonLines, withExtra, writeLines } from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, ChatMessage, PairText } from "@/lib/datasets/types";

export const HUMAN = "\n\nHuman:";
export const ASSISTANT = "\n\nAssistant:";
/** Where a turn's text starts: the marker and one space. */
const TURN = { user: `${HUMAN} `, assistant: `${ASSISTANT} ` } as const;
const BOUNDARY = /\n\n(Human|Assistant): /g;
const KNOWN = ["chosen", "rejected"] as const;

/** A conversation as HH turns; it must start with a human turn (as every HH transcript does). */
export function hhTranscript(messages: readonly ChatMessage[]): string {
  if (messages.some((m) => m.role === "system")) throw badRequest("HH format has no system role; use a conversational format");
  if (messages[0]?.role !== "user") throw badRequest("HH format needs a conversation that starts with a user turn");
  return messages.map((m) => TURN[m.role as "user" | "assistant"] + m.content).join("");
}

export function hhLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, "HH format");
  const sides = sideContexts(pair);
  const transcript = (context: ChatMessage[], reply: string) => hhTranscript(context) + TURN.assistant + reply;
  return JSON.stringify(withExtra({ chosen: transcript(sides.chosen, pair.chosen), rejected: transcript(sides.rejected, pair.rejected) }, pair.extra));
}

export function writeHh(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, hhLine);
}

/** Transcript "\n\nHuman: a\n\nAssistant: b\n\nHuman: c" → messages. */
export function parseHhTranscript(text: string): LineResult<ChatMessage[]> {
  if (!text.startsWith(TURN.user)) return { ok: false, message: `transcript must start with ${JSON.stringify(TURN.user)}` };
  const found = [...text.matchAll(BOUNDARY)];
  const messages = found.map((m, i): ChatMessage => ({
    role: m[1] === "Human" ? "user" : "assistant",
    content: text.slice(m.index + m[0].length, i + 1 < found.length ? found[i + 1]!.index : text.length),
  }));
  return { ok: true, value: messages };
}

/** One side's transcript → the conversation before its last assistant turn, and that turn's text (the reply). */
function splitTranscript(text: string, side: "chosen" | "rejected"): LineResult<{ context: ChatMessage[]; reply: string }> {
  if (text.endsWith(ASSISTANT)) {
    return { ok: false, message: `${side}: ends with ${JSON.stringify(ASSISTANT)} and no space, which an HH turn starts with, so its empty reply cannot be written back exactly` };
  }
  const at = text.lastIndexOf(TURN.assistant);
  if (at < 0) return { ok: false, message: `${side}: has no ${JSON.stringify(TURN.assistant)} turn` };
  const context = parseHhTranscript(text.slice(0, at));
  if (!context.ok) return { ok: false, message: `${side}: ${context.message}` };
  return { ok: true, value: { context: context.value, reply: text.slice(at + TURN.assistant.length) } };
}

/** Splits a chosen/rejected transcript pair into the prompt, the two replies and, when it differs, the rejected side's conversation. */
export function splitHhPair(chosen: string, rejected: string): LineResult<PairText> {
  const c = splitTranscript(chosen, "chosen");
  if (!c.ok) return c;
  const r = splitTranscript(rejected, "rejected");
  if (!r.ok) return r;
  const prompt = c.value.context;
  return {
    ok: true,
    value: { prompt, chosen: c.value.reply, rejected: r.value.reply, ...(sameMessages(r.value.context, prompt) ? {} : { rejectedContext: r.value.context }) },
  };
}

const lineSchema = z.object({ chosen: z.string(), rejected: z.string() });

/** One line's value → a pair; fields other than chosen and rejected are kept as its extra. */
export function readHh(value: unknown): LineResult<PairText> {
  const r = checkWith(lineSchema, value);
  if (!r.ok) return r;
  const pair = splitHhPair(r.value.chosen, r.value.rejected);
  if (!pair.ok) return pair;
  const extra = extraFields(value, KNOWN);
  return { ok: true, value: extra ? { ...pair.value, extra } : pair.value };
}

/** Lines of an HH file → pairs. */
export function parseHh(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, readHh);
}

export const hhFormat: PairFormat<"hh"> = {
  id: "hh",
  label: "Anthropic HH",
  ...JSONL_FILE,
  card: 'Anthropic HH-RLHF format: `chosen`/`rejected` full "\\n\\nHuman: … \\n\\nAssistant: …" transcripts',
  rows: "pairs",
  holdsTies: false,
  write: writeHh,
  readRecord: readHh,
};
