/**
 * Pairs whose two sides answer different conversations, in the formats that
 * write a shared prompt and then each side's messages (TRL conversational,
 * OpenAI preference). TRL's own `extract_prompt` makes these: the prompt is
 * the messages chosen and rejected share, and each side goes on from there.
 */
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { ChatMessage, PairText } from "@/lib/datasets/types";

export const sameMessage = (a: ChatMessage, b: ChatMessage): boolean => a.role === b.role && a.content === b.content;

export function startsWith(messages: readonly ChatMessage[], prefix: readonly ChatMessage[]): boolean {
  return prefix.length <= messages.length && prefix.every((m, i) => sameMessage(m, messages[i]!));
}

export function sameMessages(a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** How many leading messages `a` and `b` share. */
export function sharedLength(a: readonly ChatMessage[], b: readonly ChatMessage[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && sameMessage(a[i]!, b[i]!)) i++;
  return i;
}

const copy = (messages: readonly ChatMessage[]): ChatMessage[] => messages.map(({ role, content }) => ({ role, content }));

/** The conversation each side answers: its own, or the pair's prompt. */
export function sideContexts(pair: PairText): { chosen: ChatMessage[]; rejected: ChatMessage[] } {
  return { chosen: pair.chosenContext ?? pair.prompt, rejected: pair.rejectedContext ?? pair.prompt };
}

/**
 * The pair as a shared prompt and each side's messages, its reply last. The
 * prompt is the pair's own when both sides go on from it (every pair of the
 * app, and every pair read from these formats); otherwise it is the messages
 * the two conversations share, possibly none.
 */
export function toContinuations(pair: PairText): { prompt: ChatMessage[]; chosen: ChatMessage[]; rejected: ChatMessage[] } {
  const sides = sideContexts(pair);
  const prompt = startsWith(sides.chosen, pair.prompt) && startsWith(sides.rejected, pair.prompt)
    ? pair.prompt
    : sides.chosen.slice(0, sharedLength(sides.chosen, sides.rejected));
  const side = (context: ChatMessage[], reply: string) => [...copy(context.slice(prompt.length)), { role: "assistant" as const, content: reply }];
  return { prompt: copy(prompt), chosen: side(sides.chosen, pair.chosen), rejected: side(sides.rejected, pair.rejected) };
}

/**
 * The reading side of {@link toContinuations}: `chosen` and `rejected` are
 * message lists ending with the assistant's reply; messages before the reply
 * make that side's own conversation. An empty prompt is what the writer gives
 * a pair whose conversations share no message, so it is read only then (the
 * stored prompt is then the chosen side's conversation).
 */
export function fromContinuations(prompt: ChatMessage[], chosen: ChatMessage[], rejected: ChatMessage[]): LineResult<PairText> {
  for (const [name, side] of [["chosen", chosen], ["rejected", rejected]] as const) {
    if (side.length === 0) return { ok: false, message: `${name}: must hold at least one message` };
    if (side[side.length - 1]!.role !== "assistant") return { ok: false, message: `${name}: the last message must be the assistant's reply` };
  }
  const chosenContext = [...prompt, ...chosen.slice(0, -1)];
  const rejectedContext = [...prompt, ...rejected.slice(0, -1)];
  const replies = { chosen: chosen[chosen.length - 1]!.content, rejected: rejected[rejected.length - 1]!.content };
  if (prompt.length > 0) {
    return {
      ok: true,
      value: {
        prompt,
        ...replies,
        ...(chosen.length > 1 ? { chosenContext } : {}),
        ...(rejected.length > 1 ? { rejectedContext } : {}),
      },
    };
  }
  if (chosenContext.length === 0 || rejectedContext.length === 0 || sharedLength(chosenContext, rejectedContext) > 0) {
    return { ok: false, message: "prompt: must hold the messages chosen and rejected share (it may be empty only when they share none)" };
  }
  return { ok: true, value: { prompt: chosenContext, ...replies, rejectedContext } };
}
