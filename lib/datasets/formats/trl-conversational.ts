/**
 * TRL "conversational" preference format: the prompt is the message list,
 * chosen and rejected are one assistant message each (+ "margin").
 */
import { assertNotTie, marginField, writeLines } from "@/lib/datasets/formats/lines";
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
