/** TRL "standard" preference format: {"prompt": str, "chosen": str, "rejected": str} (+ "margin"). */
import { z } from "zod";
import { badRequest } from "@/lib/errors";
import type { PairFormat } from "@/lib/datasets/format";
import {
  assertNotTie,
  checkWith,
  extraFields,
  JSONL_FILE,
  marginField,
  parseJsonLines,
  singleUserPrompt,
  withExtra,
  writeLines,
} from "@/lib/datasets/formats/lines";
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, PairText } from "@/lib/datasets/types";

const FORMAT = "TRL standard format";
const KNOWN = ["prompt", "chosen", "rejected"] as const;

export function trlStandardLine(pair: PairText & { tie?: boolean }): string {
  assertNotTie(pair, FORMAT);
  if (pair.chosenContext || pair.rejectedContext) {
    throw badRequest(`${FORMAT} holds one prompt string, but this pair's chosen and rejected answer different conversations; use trl-conversational, openai or hh`);
  }
  return JSON.stringify(withExtra({
    prompt: singleUserPrompt(pair.prompt, FORMAT),
    chosen: pair.chosen,
    rejected: pair.rejected,
    ...marginField(pair),
  }, pair.extra));
}

export function writeTrlStandard(pairs: AnyIterable<PairText & { tie?: boolean }>): AsyncGenerator<string> {
  return writeLines(pairs, trlStandardLine);
}

const lineSchema = z.object({ prompt: z.string(), chosen: z.string(), rejected: z.string() });

/** One line's value → a pair; other fields (a margin, an id) are kept as its extra. */
export function readTrlStandard(value: unknown): LineResult<PairText> {
  const r = checkWith(lineSchema, value);
  if (!r.ok) return r;
  const { prompt, chosen, rejected } = r.value;
  const extra = extraFields(value, KNOWN);
  return { ok: true, value: { prompt: [{ role: "user", content: prompt }], chosen, rejected, ...(extra ? { extra } : {}) } };
}

/** Lines of a TRL standard file → pairs. */
export function parseTrlStandard(lines: AnyIterable<string>): AsyncGenerator<PairText> {
  return parseJsonLines(lines, readTrlStandard);
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
  readRecord: readTrlStandard,
};
