/**
 * The export options every entry point accepts (the download route's query
 * string and the CLI's flags), parsed once with zod and mapped onto
 * the pipeline's ExportOptions.
 */
import { z } from "zod";
import type { ExportOptions } from "@/lib/datasets/pipeline";
import { DEFAULT_FORMAT, exportFormatSchema, formatById, TIE_FORMATS } from "@/lib/datasets/registry";

// Query strings carry booleans as text; anything but these four is an error, not "false".
const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date");

export const exportOptionsSchema = z.object({
  format: exportFormatSchema.default(DEFAULT_FORMAT),
  mode: z.enum(["raw", "majority", "bradley-terry"]).default("raw"),
  ties: z.enum(["drop", "keep"]).default("drop"),
  margin: z.enum(["none", "rank", "rating"]).default("none"),
  split: z.enum(["all", "train", "test"]).default("all"),
  testFraction: z.coerce.number().min(0).max(1).default(0.1),
  seed: z.string().trim().min(1).max(100).default("0"),
  pseudonymise: flag.default(true),
  minAgreement: z.coerce.number().min(0).max(1).optional(),
  excludeFlagged: flag.default(false),
  from: instant.optional(),
  to: instant.optional(),
  /** Comma-separated user ids. */
  annotators: z.string().max(20_000).transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean)).optional(),
}).strict().refine((r) => r.ties === "drop" || formatById(r.format).rows === "rankings" || TIE_FORMATS.includes(r.format), {
  path: ["ties"],
  message: `keep needs format ${TIE_FORMATS.join(" or ")}: the other pair formats cannot hold a tie`,
});
export type ExportRequest = z.infer<typeof exportOptionsSchema>;

/**
 * lib/datasets options for a request. `salt` keys the pseudonyms; margins by
 * "rank" ignore ratings, which the caller strips from the groups (see
 * {@link stripRatings}), since pairing (pairs.ts) prefers a rating difference when present.
 * `aspects` are the project's rubric aspects (a column each in CSV and Parquet).
 */
export function toExportOptions(r: ExportRequest, salt: string, aspects: readonly string[] = []): ExportOptions {
  return {
    aspects,
    mode: r.mode,
    ties: r.ties,
    margin: r.margin !== "none",
    filters: { from: r.from, to: r.to, annotatorIds: r.annotators, excludeFlagged: r.excludeFlagged },
    ...(r.minAgreement === undefined ? {} : { minAgreement: r.minAgreement }),
    ...(r.pseudonymise ? { pseudonymise: { salt } } : {}),
    split: { testFraction: r.testFraction, seed: r.seed, ...(r.split === "all" ? {} : { only: r.split }) },
  };
}

/** A file name safe in a Content-Disposition header: project name slug, format, split. */
export function exportFileName(projectName: string, r: ExportRequest): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "project";
  return `${slug}-${r.format}${r.split === "all" ? "" : `-${r.split}`}.${formatById(r.format).extension}`;
}
