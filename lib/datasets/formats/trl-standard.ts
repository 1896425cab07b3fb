/** TRL "standard" preference format: {"prompt": str, "chosen": str, "rejected": str} (+ "margin"). */
import { z } from "zod";
import type { PairFormat } from "@/lib/datasets/format";
import {
  assertNotTie,
  checkWith,
  JSONL_FILE,
  marginField,
  parseJsonLines,
  singleUserPrompt,
  withMargin,
  writeLines,
} from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
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

const lineSchema = z.object({ prompt: z.string(), chosen: z.string(), rejected: z.string(), margin: z.number().optional() });

function validate(value: unknown): LineResult<PairText> {
  const r = checkWith(lineSchema, value);
  if (!r.ok) return r;
  const { prompt, chosen, rejected } = r.value;
  return { ok: true, value: withMargin({ prompt: [{ role: "user", content: prompt }], chosen, rejected }, r.value.margin) };
}

/** Lines of a TRL standard file → pairs; unknown keys are ignored. */
export function parseTrlStandard(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, validate);
}

export const trlStandardFormat: PairFormat<"trl-standard"> = {
  id: "trl-standard",
  aliases: ["trl"],
  label: "TRL standard",
  ...JSONL_FILE,
  card: 'TRL standard preference format: `{"prompt", "chosen", "rejected"}` strings',
  rows: "pairs",
  holdsTies: false,
  write: writeTrlStandard,
  parse: parseTrlStandard,
};
