/**
 * README.md for a Hugging Face dataset repository: YAML front matter the Hub
 * reads (configs → data files per split), then a human-readable summary of
 * what was exported and how.
 */
import type { ExportOptions } from "@/lib/datasets/pipeline";
import { formatById, type FormatId } from "@/lib/datasets/registry";
import { acceptanceRate, type ReviewCounts, type ReviewStatus } from "@/lib/datasets/review-status";
import type { MeasurementLevel } from "@/lib/stats/krippendorff";

export type DatasetCardStats = {
  prompts: number;
  rankings: number;
  annotators: number;
  /** Annotators' rewrites among the ranked completions (marked `human` where the format has per-completion fields). */
  humanCompletions?: number;
  /** Pairs (or rows, for raw rankings) per split, in the order they should be listed. */
  splits: Record<string, number>;
  /** Pairwise inter-annotator agreement in [0, 1], if computed. */
  pairwiseAgreement?: number | null;
  /** Krippendorff's alpha and the level it was computed at (ordinal suits ranks). */
  krippendorffAlpha?: { level: MeasurementLevel; value: number | null };
  /** Review statuses of all the project's rankings (before any filter), for the acceptance rate. */
  review?: ReviewCounts;
};

export type DatasetCardOptions = {
  title: string;
  description?: string;
  /** The data files' extension and the "Dataset structure" text come from the format's registry entry. */
  format: FormatId;
  /** SPDX-style id the Hub understands, e.g. "cc-by-4.0". */
  license?: string;
  language?: string[];
  export?: ExportOptions;
  /** The review statuses the export kept. */
  reviewStatuses?: readonly ReviewStatus[];
};

/** Hub size bucket for a row count. */
export function sizeCategory(rows: number): string {
  const buckets: [number, string][] = [
    [1e3, "n<1K"],
    [1e4, "1K<n<10K"],
    [1e5, "10K<n<100K"],
    [1e6, "100K<n<1M"],
    [1e7, "1M<n<10M"],
  ];
  return buckets.find(([limit]) => rows < limit)?.[1] ?? "10M<n<100M";
}

/** JSON strings are valid YAML double-quoted scalars, so user text cannot break the front matter. */
const yamlString = (s: string) => JSON.stringify(s);

function frontMatter(stats: DatasetCardStats, o: DatasetCardOptions): string[] {
  const rows = Object.values(stats.splits).reduce((s, n) => s + n, 0);
  const lines = ["---"];
  if (o.license) lines.push(`license: ${yamlString(o.license)}`);
  if (o.language?.length) lines.push("language:", ...o.language.map((l) => `- ${yamlString(l)}`));
  lines.push(`pretty_name: ${yamlString(o.title)}`);
  lines.push("tags:", "- rlhf", "- preference", "- human-feedback");
  lines.push("size_categories:", `- ${sizeCategory(rows)}`);
  lines.push("configs:", "- config_name: default", "  data_files:");
  for (const split of Object.keys(stats.splits)) {
    lines.push(`  - split: ${yamlString(split)}`, `    path: ${yamlString(`data/${split}.${formatById(o.format).extension}`)}`);
  }
  lines.push("---");
  return lines;
}

const percent = (x: number | null | undefined) => (x === null || x === undefined ? "not computed" : `${(x * 100).toFixed(1)}%`);
const fixed3 = (x: number | null | undefined) => (x === null || x === undefined ? "not computed" : x.toFixed(3));

function reviewLine(c: ReviewCounts): string {
  return `- Review: ${c.accepted} accepted, ${c.adjudicated} adjudicated (re-ranked by a reviewer), ${c.rejected} rejected, ${c.pending} pending; ` +
    `acceptance rate ${percent(acceptanceRate(c))} of reviewed rankings`;
}

function reliabilityLines(e: ExportOptions): string[] {
  const r = e.reliability;
  if (!r) return [];
  const parts = [
    ...(r.min === undefined ? [] : [`rankings by annotators below ${r.min} dropped`]),
    ...(r.weight ? ["each row's `weight` is its annotator's reliability"] : []),
  ];
  return [`- Annotator reliability (CrowdBT, from agreement, gold answers and verifiers): ${parts.join("; ")}`];
}

function optionLines(e: ExportOptions = {}, reviewStatuses?: readonly ReviewStatus[]): string[] {
  const f = e.filters ?? {};
  const lines = [
    `- Pairing mode: ${e.mode ?? "raw"}`,
    `- Ties: ${e.ties === "keep" ? "kept (tie: true)" : "dropped"}`,
    `- Margins: ${e.margin ? "included" : "not included"}`,
    `- Minimum agreement: ${e.minAgreement ?? "none"}`,
    `- Date range: ${f.from ?? "start"} to ${f.to ?? "now"}`,
    `- Annotators: ${f.annotatorIds ? `${f.annotatorIds.length} selected` : "all"}`,
    `- Flagged rankings: ${f.excludeFlagged ? "excluded" : "included"}`,
    ...(reviewStatuses ? [`- Review status: ${reviewStatuses.join(", ")}`] : []),
    ...reliabilityLines(e),
    `- Annotator ids: ${e.pseudonymise ? "pseudonymised with a salted keyed hash" : "as stored"}`,
    ...(e.aspects?.length ? [`- Aspect ratings (1–7) of the project's rubric: ${e.aspects.join(", ")}`] : []),
  ];
  if (e.split) lines.push(`- Split: by prompt, test fraction ${e.split.testFraction}, seed ${e.split.seed}; no prompt is in two splits`);
  return lines;
}

/** The README.md text, "\n" line ends, ending with a newline. */
export function datasetCard(stats: DatasetCardStats, options: DatasetCardOptions): string {
  const body = [
    ...frontMatter(stats, options),
    "",
    `# ${options.title.replace(/\s+/g, " ")}`,
    "",
    ...(options.description ? [options.description, ""] : []),
    "## Dataset structure",
    "",
    `${formatById(options.format).card}.`,
    "",
    "| Split | Rows |",
    "| --- | ---: |",
    ...Object.entries(stats.splits).map(([split, n]) => `| ${split} | ${n} |`),
    "",
    "## Collection",
    "",
    `- Prompts: ${stats.prompts}`,
    `- Rankings: ${stats.rankings}`,
    `- Annotators: ${stats.annotators}`,
    ...(stats.humanCompletions ? [`- Human-written completions (annotators' rewrites): ${stats.humanCompletions}`] : []),
    ...(stats.review ? [reviewLine(stats.review)] : []),
    "",
    "## Agreement",
    "",
    `- Pairwise agreement (annotator pairs × completion pairs, ties excluded): ${percent(stats.pairwiseAgreement)}`,
    `- Krippendorff's alpha${stats.krippendorffAlpha ? ` (${stats.krippendorffAlpha.level})` : ""}: ${fixed3(stats.krippendorffAlpha?.value)}`,
    "",
    "## Export options",
    "",
    ...optionLines(options.export, options.reviewStatuses),
  ];
  return `${body.join("\n")}\n`;
}
