/**
 * Anthropic HH-RLHF format: {"chosen": transcript, "rejected": transcript},
 * each a full dialogue "\n\nHuman: …\n\nAssistant: …" sharing the prompt
 * prefix and ending in a different final reply. The format has no margin
 * field and no system role. Reading splits the two transcripts at the last
 * "\n\nAssistant:" they share: the prompt is before it, the replies after.
 */
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import type { PairFormat } from "@/lib/datasets/format";
import { assertNotTie, checkWith, JSONL_FILE, parseJsonLines, writeLines } from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, ChatMessage, PairText } from "@/lib/datasets/types";

export const HUMAN = "\n\nHuman:";
export const ASSISTANT = "\n\nAssistant:";

/** One turn: the marker, then a space and the text unless the text is empty (so empty turns round-trip). */
export function hhTurn(marker: string, content: string): string {
  return content === "" ? marker : `${marker} ${content}`;
}

/** The prompt transcript, ending with the open "\n\nAssistant:" the reply follows. */
export function hhPrompt(prompt: readonly ChatMessage[]): string {
  if (prompt.length === 0 || prompt[prompt.length - 1]!.role !== "user") {
    throw badRequest("HH format needs a prompt that ends with a user turn");
  }
  let out = "";
  for (const m of prompt) {
    if (m.role === "system") throw badRequest("HH format has no system role; use a conversational format");
    out += hhTurn(m.role === "user" ? HUMAN : ASSISTANT, m.content);
  }
  return out + ASSISTANT;
}

export function hhLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, "HH format");
  const prefix = hhPrompt(pair.prompt);
  // Appending the reply to the open marker: hhTurn(ASSISTANT, reply) minus the marker itself.
  const reply = (text: string) => prefix + hhTurn(ASSISTANT, text).slice(ASSISTANT.length);
  return JSON.stringify({ chosen: reply(pair.chosen), rejected: reply(pair.rejected) });
}

export function writeHh(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, hhLine);
}

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

const lineSchema = z.object({ chosen: z.string(), rejected: z.string() });

function validate(value: unknown): LineResult<PairText> {
  const r = checkWith(lineSchema, value);
  return r.ok ? splitHhPair(r.value.chosen, r.value.rejected) : r;
}

/** Lines of an HH file → pairs with the shared dialogue as the prompt. */
export function parseHh(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, validate);
}

export const hhFormat: PairFormat<"hh"> = {
  id: "hh",
  label: "Anthropic HH",
  ...JSONL_FILE,
  card: 'Anthropic HH-RLHF format: `chosen`/`rejected` full "\\n\\nHuman: … \\n\\nAssistant: …" transcripts',
  rows: "pairs",
  holdsTies: false,
  write: writeHh,
  parse: parseHh,
};
