/**
 * The export options every entry point accepts (the download route's query
 * string and the CLI's flags), parsed once with zod and mapped onto
 * the pipeline's ExportOptions.
 */
import { z } from "zod";
import type { ExportOptions } from "@/lib/datasets/pipeline";
import { DEFAULT_FORMAT, exportFormatSchema, formatById, TIE_FORMATS, WEIGHT_FORMATS } from "@/lib/datasets/registry";
import { DEFAULT_EXPORT_REVIEW_STATUSES, REVIEW_STATUSES, reviewStatusSchema } from "@/lib/datasets/review-status";

// Query strings carry booleans as text; anything but these four is an error, not "false".
const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date");
const commaList = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

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
  annotators: z.string().max(20_000).transform(commaList).optional(),
  /** Comma-separated review statuses to keep; by default every one but rejected. */
  reviewStatus: z
    .string()
    .max(200)
    .transform(commaList)
    .pipe(z.array(reviewStatusSchema, { error: `each must be one of ${REVIEW_STATUSES.join(", ")}` }).min(1, "name at least one review status"))
    .default([...DEFAULT_EXPORT_REVIEW_STATUSES]),
  /** Drop the rankings of annotators whose reliability (CrowdBT η) is below this. */
  minReliability: z.coerce.number().min(0).max(1).optional(),
  /** reliability: each row carries its annotator's reliability as `weight` (formats that hold one, raw pairs). */
  weights: z.enum(["none", "reliability"]).default("none"),
}).strict().refine((r) => r.ties === "drop" || formatById(r.format).rows === "rankings" || TIE_FORMATS.includes(r.format), {
  path: ["ties"],
  message: `keep needs format ${TIE_FORMATS.join(" or ")}: the other pair formats cannot hold a tie`,
}).refine((r) => r.weights === "none" || WEIGHT_FORMATS.includes(r.format), {
  path: ["weights"],
  message: `reliability needs format ${WEIGHT_FORMATS.join(", ")}: the others have no weight field (use minReliability to drop unreliable annotators instead)`,
}).refine((r) => r.weights === "none" || r.mode === "raw" || formatById(r.format).rows === "rankings", {
  path: ["weights"],
  message: "reliability needs mode raw: a majority or Bradley–Terry pair pools several annotators",
});
export type ExportRequest = z.infer<typeof exportOptionsSchema>;

/** Whether the request drops or weights by annotator reliability, so the caller must estimate it first. */
export function needsReliability(r: ExportRequest): boolean {
  return r.minReliability !== undefined || r.weights === "reliability";
}

/**
 * lib/datasets options for a request. `salt` keys the pseudonyms; margins by
 * "rank" ignore ratings, which the caller strips from the groups (see
 * {@link stripRatings}), since pairing (pairs.ts) prefers a rating difference
 * when present. `aspects` are the project's rubric aspects (a column each in
 * CSV and Parquet); `reliability` (annotator id → η) is required when
 * {@link needsReliability} says so.
 */
export function toExportOptions(r: ExportRequest, salt: string, project: { aspects?: readonly string[]; reliability?: Readonly<Record<string, number>> } = {}): ExportOptions {
  const { aspects = [], reliability } = project;
  if (needsReliability(r) && !reliability) throw new RangeError("reliability scores are needed for minReliability or weights=reliability");
  return {
    aspects,
    mode: r.mode,
    ties: r.ties,
    margin: r.margin !== "none",
    filters: { from: r.from, to: r.to, annotatorIds: r.annotators, excludeFlagged: r.excludeFlagged },
    ...(reliability && needsReliability(r) ? { reliability: { scores: reliability, min: r.minReliability, weight: r.weights === "reliability" } } : {}),
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
