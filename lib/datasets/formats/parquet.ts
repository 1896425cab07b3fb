/**
 * Pairs → one Parquet file. Parquet's footer is written after the data, so
 * the pairs are collected first (columns of strings, not row objects).
 */
import { parquetWriteBuffer } from "hyparquet-writer";
import type { PairFormat } from "@/lib/datasets/format";
import { promptCell } from "@/lib/datasets/formats/csv";
import type { AnyIterable, PreferencePair } from "@/lib/datasets/types";

export async function pairsToParquet(pairs: AnyIterable<PreferencePair>, withMargin: boolean, withWeight = false): Promise<Uint8Array> {
  const cols = { prompt_id: [] as string[], prompt: [] as string[], chosen: [] as string[], rejected: [] as string[], chosen_id: [] as string[], rejected_id: [] as string[], annotator_id: [] as string[], agreement: [] as number[], margin: [] as number[], weight: [] as number[] };
  for await (const p of pairs) {
    cols.prompt_id.push(p.promptId);
    cols.prompt.push(promptCell(p.prompt));
    cols.chosen.push(p.chosen);
    cols.rejected.push(p.rejected);
    cols.chosen_id.push(p.chosenId);
    cols.rejected_id.push(p.rejectedId);
    cols.annotator_id.push(p.annotatorId ?? "");
    cols.agreement.push(p.agreement);
    cols.margin.push(p.margin ?? 0);
    cols.weight.push(p.weight ?? 0);
  }
  const text = (name: keyof typeof cols) => ({ name, data: cols[name], type: "STRING" as const });
  const columnData = [
    text("prompt_id"), text("prompt"), text("chosen"), text("rejected"), text("chosen_id"), text("rejected_id"), text("annotator_id"),
    { name: "agreement", data: cols.agreement, type: "DOUBLE" as const },
    ...(withMargin ? [{ name: "margin", data: cols.margin, type: "DOUBLE" as const }] : []),
    ...(withWeight ? [{ name: "weight", data: cols.weight, type: "DOUBLE" as const }] : []),
  ];
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

export const parquetFormat: PairFormat<"parquet"> = {
  id: "parquet",
  label: "Parquet",
  extension: "parquet",
  contentType: "application/vnd.apache.parquet",
  card:
    "Parquet of pairs: columns `prompt_id`, `prompt` (the user's text, or the message list as JSON), `chosen`, `rejected`, " +
    "`chosen_id`, `rejected_id`, `annotator_id`, `agreement` and, when requested, `margin` and the annotator-reliability `weight`",
  rows: "pairs",
  holdsTies: false,
  holdsWeights: true,
  // One buffer: the footer is written after the data.
  write: async function* (pairs, { margin, weight }) {
    yield await pairsToParquet(pairs, margin, weight === true);
  },
};
