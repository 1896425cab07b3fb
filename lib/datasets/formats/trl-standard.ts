/** TRL "standard" preference format: {"prompt": str, "chosen": str, "rejected": str} (+ "margin"). */
import { assertNotTie, marginField, singleUserPrompt, writeLines } from "@/lib/datasets/formats/lines";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

const FORMAT = "TRL standard format";

export function trlStandardLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, FORMAT);
  return JSON.stringify({
    prompt: singleUserPrompt(pair.prompt, FORMAT),
    chosen: pair.chosen,
    rejected: pair.rejected,
    ...marginField(pair),
  });
}

export function writeTrlStandard(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, trlStandardLine);
}
