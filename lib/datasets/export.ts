/**
 * Prompt groups → the bytes of one export file, as a stream of chunks, and
 * its dataset card. Shared by the download route, the CLI and the benchmark.
 * Pure: the callers pass the groups, from the database
 * (db/queries/export-data.ts iterateExportGroups) or from a generator.
 */
import { datasetCard, type DatasetCardStats } from "@/lib/datasets/dataset-card";
import type { FileChunk } from "@/lib/datasets/format";
import { splitOf } from "@/lib/datasets/options";
import { exportPairs, exportRankings, prepareGroup, type ExportOptions } from "@/lib/datasets/pipeline";
import { formatById } from "@/lib/datasets/registry";
import type { ExportRequest } from "@/lib/datasets/request";
import type { ReviewCounts } from "@/lib/datasets/review-status";
import { summariseRankings } from "@/lib/datasets/summary";
import type { AnyIterable, PromptGroup } from "@/lib/datasets/types";

/** With margin "rank", ratings are dropped so pairing falls back to the rank distance. */
async function* stripRatings(groups: AnyIterable<PromptGroup>): AsyncGenerator<PromptGroup> {
  for await (const g of groups) yield { ...g, rankings: g.rankings.map((r) => ({ ...r, ratings: undefined })) };
}

/** The chunks of the export file: text lines (JSONL/CSV) or one Parquet buffer. An export with no pairs is an empty valid file. */
export async function* exportChunks(groups: AnyIterable<PromptGroup>, request: ExportRequest, options: ExportOptions): AsyncGenerator<FileChunk> {
  const source = request.margin === "rank" ? stripRatings(groups) : groups;
  const format = formatById(request.format);
  if (format.rows === "rankings") yield* format.write(exportRankings(source, { ...options, includeText: true }));
  else yield* format.write(exportPairs(source, options), { margin: options.margin === true, weight: options.reliability?.weight === true });
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

/**
 * README.md for the export: counts and agreement of the exported rankings,
 * pairs per split and, given the project's review counts, its acceptance rate.
 */
export async function exportDatasetCard(groups: AnyIterable<PromptGroup>, request: ExportRequest, options: ExportOptions, title: string, review?: ReviewCounts): Promise<string> {
  const prepared: PromptGroup[] = [];
  for await (const g of groups) prepared.push(prepareGroup(g, options));
  const splits: Record<string, number> = { train: 0, test: 0 };
  const split = options.split ?? { testFraction: 0, seed: 0 };
  const rows = formatById(request.format).rows === "rankings"
    ? exportRankings(prepared, { ...options, pseudonymise: undefined, filters: undefined })
    : exportPairs(prepared, { ...options, pseudonymise: undefined, filters: undefined });
  for await (const row of rows) splits[splitOf(row.promptId, split)]++;
  const only = options.split?.only;
  const stats: DatasetCardStats = { ...summariseRankings(prepared), splits: only ? { [only]: splits[only] } : split.testFraction > 0 ? splits : { train: splits.train }, ...(review ? { review } : {}) };
  return datasetCard(stats, { title, format: request.format, export: options, reviewStatuses: request.reviewStatus });
}
