/**
 * Prompt groups → the bytes of one export file, as a stream of chunks, and
 * its dataset card. Shared by the download route, the CLI and the benchmark.
 * Pure: the callers pass the groups, from the database
 * (db/queries/export-data.ts iterateExportGroups) or from a generator.
 */
import { datasetCard, type DatasetCardStats } from "@/lib/datasets/dataset-card";
import type { FileChunk } from "@/lib/datasets/format";
import { splitOf, type SplitName } from "@/lib/datasets/options";
import { exportPairs, exportRankings, prepareGroup, type ExportOptions } from "@/lib/datasets/pipeline";
import { formatById } from "@/lib/datasets/registry";
import type { ExportRequest } from "@/lib/datasets/request";
import type { ReviewCounts } from "@/lib/datasets/review-status";
import { summariseRankings } from "@/lib/datasets/summary";
import type { AnyIterable, PromptGroup, RawRankingRow } from "@/lib/datasets/types";

/** With margin "rank", ratings are dropped so pairing falls back to the rank distance. */
async function* stripRatings(groups: AnyIterable<PromptGroup>): AsyncGenerator<PromptGroup> {
  for await (const g of groups) yield { ...g, rankings: g.rankings.map((r) => ({ ...r, ratings: undefined })) };
}

/**
 * The order of the groups a file is written from: raw pairs and raw rankings
 * follow the rankings themselves, so an imported file exported again comes
 * back in its own order; majority and Bradley–Terry pairs belong to a prompt.
 */
export function exportOrder(request: ExportRequest): "prompts" | "rankings" {
  return formatById(request.format).rows === "rankings" || request.mode === "raw" ? "rankings" : "prompts";
}

/** The chunks of the export file: text lines (JSONL/CSV) or one Parquet buffer. An export with no pairs is an empty valid file. */
export async function* exportChunks(groups: AnyIterable<PromptGroup>, request: ExportRequest, options: ExportOptions): AsyncGenerator<FileChunk> {
  const source = request.margin === "rank" ? stripRatings(groups) : groups;
  const format = formatById(request.format);
  if (format.rows === "rankings") yield* format.write(exportRankings(source, { ...options, includeText: true }));
  else yield* format.write(exportPairs(source, options), { margin: options.margin === true, weight: options.reliability?.weight === true, aspects: options.aspects ?? [] });
}

/** A byte stream for a Response body; errors mid-stream abort the download rather than truncating it silently. */
export function toByteStream(chunks: AsyncGenerator<FileChunk>): ReadableStream<Uint8Array> {
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

async function* inSplit(rows: AsyncIterable<RawRankingRow>, name: SplitName, split: { testFraction: number; seed: number | string }): AsyncGenerator<RawRankingRow> {
  for await (const r of rows) if (splitOf(r.promptId, split) === name) yield r;
}

/** Lines a rankings format writes (one per ranking for raw rankings; fewer for SFT, which keeps distinct bests). */
async function countLines(chunks: AsyncIterable<string | Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of chunks) if (typeof c === "string") n += c.split("\n").length - 1;
  return n;
}

/**
 * README.md for the export: counts and agreement of the exported rankings,
 * pairs per split and, given the project's review counts, its acceptance rate.
 */
export async function exportDatasetCard(groups: AnyIterable<PromptGroup>, request: ExportRequest, options: ExportOptions, title: string, review?: ReviewCounts): Promise<string> {
  const prepared: PromptGroup[] = [];
  for await (const g of groups) prepared.push(prepareGroup(g, options));
  const splits: Record<string, number> = { train: 0, test: 0 };
  const split = options.split ?? { testFraction: 0, seed: 0 };
  const format = formatById(request.format);
  const again = { ...options, pseudonymise: undefined, filters: undefined };
  if (format.rows === "rankings") {
    for (const name of ["train", "test"] as const) splits[name] = await countLines(format.write(inSplit(exportRankings(prepared, { ...again, includeText: true }), name, split)));
  } else {
    for await (const row of exportPairs(prepared, again)) splits[splitOf(row.promptId, split)]++;
  }
  const only = options.split?.only;
  const stats: DatasetCardStats = { ...summariseRankings(prepared), splits: only ? { [only]: splits[only] } : split.testFraction > 0 ? splits : { train: splits.train }, ...(review ? { review } : {}) };
  return datasetCard(stats, { title, format: request.format, export: options, reviewStatuses: request.reviewStatus });
}
