/**
 * OpenAI preference fine-tuning (DPO) JSONL: {"input": {"messages": [...]},
 * "preferred_output": [assistant msg], "non_preferred_output": [assistant msg]}.
 * The format has no margin field, so a margin on the pair is not written.
 */
import { assertNotTie, writeLines } from "@/lib/datasets/formats/lines";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

export function openAiPreferenceLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, "OpenAI preference format");
  return JSON.stringify({
    input: { messages: pair.prompt.map(({ role, content }) => ({ role, content })) },
    preferred_output: [{ role: "assistant", content: pair.chosen }],
    non_preferred_output: [{ role: "assistant", content: pair.rejected }],
  });
}

export function writeOpenAiPreference(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, openAiPreferenceLine);
}
