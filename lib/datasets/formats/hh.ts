/**
 * Anthropic HH-RLHF format: {"chosen": transcript, "rejected": transcript},
 * each a full dialogue "\n\nHuman: …\n\nAssistant: …" sharing the prompt
 * prefix and ending in a different final reply. The format has no margin
 * field and no system role.
 */
import { badRequest } from "@/lib/errors";
import { assertNotTie, writeLines } from "@/lib/datasets/formats/lines";
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
