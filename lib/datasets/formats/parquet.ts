/**
 * Pairs → one Parquet file. Parquet's footer is written after the data, so
 * the pairs are collected first (columns of strings, not row objects).
 */
import { parquetWriteBuffer } from "hyparquet-writer";
import type { PairFormat } from "@/lib/datasets/format";
import { aspectColumns, contextCell, promptCell } from "@/lib/datasets/formats/csv";
import type { AnyIterable, PreferencePair } from "@/lib/datasets/types";

export async function pairsToParquet(pairs: AnyIterable<PreferencePair>, withMargin: boolean, aspects: readonly string[] = [], withWeight = false): Promise<Uint8Array> {
  const cols = { prompt_id: [] as string[], prompt: [] as string[], chosen: [] as string[], rejected: [] as string[], chosen_id: [] as string[], rejected_id: [] as string[], annotator_id: [] as string[], agreement: [] as number[], margin: [] as number[], chosen_context: [] as string[], rejected_context: [] as string[], chosen_source: [] as string[], rejected_source: [] as string[], weight: [] as number[] };
  // Aspect ratings: null where nobody rated that side on that aspect.
  const ratings = new Map(aspectColumns(aspects).map((name) => [name, [] as (number | null)[]]));
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
    cols.chosen_context.push(contextCell(p.chosenContext));
    cols.rejected_context.push(contextCell(p.rejectedContext));
    cols.chosen_source.push(p.chosenSource ?? "model");
    cols.rejected_source.push(p.rejectedSource ?? "model");
    for (const a of aspects) {
      ratings.get(`chosen_${a}`)!.push(p.chosenRatings?.[a] ?? null);
      ratings.get(`rejected_${a}`)!.push(p.rejectedRatings?.[a] ?? null);
    }
    cols.weight.push(p.weight ?? 0);
  }
  const text = (name: keyof typeof cols) => ({ name, data: cols[name], type: "STRING" as const });
  const columnData = [
    text("prompt_id"), text("prompt"), text("chosen"), text("rejected"), text("chosen_id"), text("rejected_id"), text("annotator_id"),
    { name: "agreement", data: cols.agreement, type: "DOUBLE" as const },
    ...(withMargin ? [{ name: "margin", data: cols.margin, type: "DOUBLE" as const }] : []),
    text("chosen_context"), text("rejected_context"),
    text("chosen_source"), text("rejected_source"),
    ...(withWeight ? [{ name: "weight", data: cols.weight, type: "DOUBLE" as const }] : []),
    ...[...ratings].map(([name, data]) => ({ name, data, type: "DOUBLE" as const })),
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
    "`chosen_id`, `rejected_id`, `annotator_id`, `agreement`, when margins were requested `margin`, " +
    "`chosen_context`/`rejected_context` (a side's own conversation as JSON when it is not the prompt, else empty), `chosen_source`/`rejected_source` " +
    "(`human` for an annotator's rewrite, else `model`), when requested the annotator-reliability `weight`, and a `chosen_<aspect>`/`rejected_<aspect>` column per rubric aspect (1–7, null where unrated)",
  rows: "pairs",
  holdsTies: false,
  holdsWeights: true,
  // One buffer: the footer is written after the data.
  write: async function* (pairs, { margin, aspects, weight }) {
    yield await pairsToParquet(pairs, margin, aspects, weight === true);
  },
};
