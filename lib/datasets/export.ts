/**
 * Prompt groups → the bytes of one export file, as a stream of chunks. Shared
 * by the download route, the CLI and the benchmark; the groups come from the
 * database (db/queries/export-data.ts) or from a generator.
 */
import { datasetCard, type DatasetCardStats, type ExportFormat } from "@/lib/datasets/dataset-card";
import { writePairsCsv } from "@/lib/datasets/formats/csv";
import { writeHh } from "@/lib/datasets/formats/hh";
import { writeOpenAiPreference } from "@/lib/datasets/formats/openai";
import { writeRawRankings } from "@/lib/datasets/formats/raw-rankings";
import { writeTrlConversational } from "@/lib/datasets/formats/trl-conversational";
import { writeTrlStandard } from "@/lib/datasets/formats/trl-standard";
import { splitOf } from "@/lib/datasets/options";
import { exportPairs, exportRankings, prepareGroup, type ExportOptions } from "@/lib/datasets/pipeline";
import { summariseRankings } from "@/lib/datasets/summary";
import type { AnyIterable, PromptGroup } from "@/lib/datasets/types";
import type { ExportFileFormat, ExportRequest } from "@/lib/datasets/request";
import { pairsToParquet } from "@/lib/datasets/formats/parquet";

/** With margin "rank", ratings are dropped so lib/datasets falls back to the rank distance. */
async function* stripRatings(groups: AnyIterable<PromptGroup>): AsyncGenerator<PromptGroup> {
  for await (const g of groups) yield { ...g, rankings: g.rankings.map((r) => ({ ...r, ratings: undefined })) };
}

/** The chunks of the export file: text lines (JSONL/CSV) or one Parquet buffer. An export with no pairs is an empty valid file. */
export async function* exportChunks(groups: AnyIterable<PromptGroup>, request: ExportRequest, options: ExportOptions): AsyncGenerator<string | Uint8Array> {
  const source = request.margin === "rank" ? stripRatings(groups) : groups;
  if (request.format === "raw") {
    yield* writeRawRankings(exportRankings(source, { ...options, includeText: true }));
    return;
  }
  const pairs = exportPairs(source, options);
  switch (request.format) {
    case "trl": yield* writeTrlStandard(pairs); return;
    case "trl-conversational": yield* writeTrlConversational(pairs); return;
    case "hh": yield* writeHh(pairs); return;
    case "openai": yield* writeOpenAiPreference(pairs); return;
    case "csv": yield* writePairsCsv(pairs); return;
    case "parquet": yield await pairsToParquet(pairs, options.margin === true); return;
  }
}

/** A byte stream for a Response body; errors mid-stream abort the download rather than truncating it silently. */
export function toByteStream(chunks: AsyncGenerator<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(typeof value === "string" ? encoder.encode(value) : value);
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

const CARD_FORMAT: Record<ExportFileFormat, ExportFormat> = {
  trl: "trl-standard", "trl-conversational": "trl-conversational", hh: "hh", openai: "openai", raw: "raw-rankings", csv: "csv", parquet: "trl-standard",
};

/** README.md for the export: counts and agreement of the exported rankings, and pairs per split. */
export async function exportDatasetCard(groups: AnyIterable<PromptGroup>, request: ExportRequest, options: ExportOptions, title: string): Promise<string> {
  const prepared: PromptGroup[] = [];
  for await (const g of groups) prepared.push(prepareGroup(g, options));
  const splits: Record<string, number> = { train: 0, test: 0 };
  const split = options.split ?? { testFraction: 0, seed: 0 };
  const rows = request.format === "raw"
    ? exportRankings(prepared, { ...options, pseudonymise: undefined, filters: undefined })
    : exportPairs(prepared, { ...options, pseudonymise: undefined, filters: undefined });
  for await (const row of rows) splits[splitOf(row.promptId, split)]++;
  const only = options.split?.only;
  const stats: DatasetCardStats = { ...summariseRankings(prepared), splits: only ? { [only]: splits[only] } : split.testFraction > 0 ? splits : { train: splits.train } };
  return datasetCard(stats, { title, format: CARD_FORMAT[request.format], export: options });
}
