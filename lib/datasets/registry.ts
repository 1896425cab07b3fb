/**
 * The one list of export/import formats. The download route's zod schema,
 * the CLI's --format flags and help, the export form (through its page) and
 * the dataset card all read it. Adding a format is one file in formats/ and
 * one line in the list below.
 */
import { z } from "zod";
import { csvFormat } from "@/lib/datasets/formats/csv";
import { hhFormat } from "@/lib/datasets/formats/hh";
import { openAiFormat } from "@/lib/datasets/formats/openai";
import { parquetFormat } from "@/lib/datasets/formats/parquet";
import { rawRankingsFormat } from "@/lib/datasets/formats/raw-rankings";
import { sftFormat } from "@/lib/datasets/formats/sft";
import { trlConversationalFormat } from "@/lib/datasets/formats/trl-conversational";
import { trlStandardFormat } from "@/lib/datasets/formats/trl-standard";
import type { DatasetFormat, ImportableFormat } from "@/lib/datasets/format";

const LIST = [
  trlStandardFormat,
  trlConversationalFormat,
  hhFormat,
  openAiFormat,
  rawRankingsFormat,
  csvFormat,
  parquetFormat,
  sftFormat,
] as const;

export type FormatId = (typeof LIST)[number]["id"];
export type RegisteredFormat = DatasetFormat<FormatId>;

/** In the order forms and help list them; the first is the default. */
export const FORMATS: readonly RegisteredFormat[] = LIST;
export const DEFAULT_FORMAT: FormatId = LIST[0].id;

/** The formats a file can be imported from. */
export const IMPORT_FORMATS = FORMATS.filter((f): f is ImportableFormat<FormatId> => f.readRecord !== undefined);

const namesOf = (f: RegisteredFormat): string[] => [f.id, ...(f.aliases ?? [])];

/** The names a user may type, ids and aliases, each → its format. */
function byName<F extends RegisteredFormat>(formats: readonly F[]): Map<string, F> {
  return new Map(formats.flatMap((f) => namesOf(f).map((n) => [n, f] as const)));
}

const exportable = byName(FORMATS);

export function formatById(id: FormatId): RegisteredFormat {
  const format = exportable.get(id);
  if (format?.id !== id) throw new RangeError(`format must be one of ${FORMATS.map((f) => f.id).join(", ")}, got ${id}`);
  return format;
}

/**
 * `format` of an export request (URL or flag): an id or an alias, parsed to
 * the id, which is what file names, the card and the audit log record.
 */
export const exportFormatSchema = z.enum([...exportable.keys()] as [string, ...string[]]).transform((name) => exportable.get(name)!.id);

const importable = byName(IMPORT_FORMATS);

/** `--format` of an import: an id or an alias of a format with a parser, parsed to the format itself. */
export const importFormatSchema = z.enum([...importable.keys()] as [string, ...string[]]).transform((name) => importable.get(name)!);

/** The formats that can write a kept tie; every other pair format refuses ties. */
export const TIE_FORMATS: readonly FormatId[] = FORMATS.filter((f) => f.rows === "pairs" && f.holdsTies).map((f) => f.id);

/** The formats that can carry a reliability weight per row. */
export const WEIGHT_FORMATS: readonly FormatId[] = FORMATS.filter((f) => f.holdsWeights).map((f) => f.id);

/** What the export form shows: plain data a server page can hand to a client component. */
export type FormatChoice = { id: FormatId; label: string; keepsTies: boolean; holdsWeights: boolean; rows: "pairs" | "rankings" };

export const FORMAT_CHOICES: readonly FormatChoice[] = FORMATS.map((f) => ({ id: f.id, label: f.label, keepsTies: TIE_FORMATS.includes(f.id), holdsWeights: WEIGHT_FORMATS.includes(f.id), rows: f.rows }));

/** "trl-standard (default; also trl) | hh | …" for CLI help. */
export function formatHelp(formats: readonly RegisteredFormat[], defaultId?: FormatId): string {
  return formats
    .map((f) => {
      const notes = [...(f.id === defaultId ? ["default"] : []), ...(f.aliases ? [`also ${f.aliases.join(", ")}`] : [])];
      return notes.length ? `${f.id} (${notes.join("; ")})` : f.id;
    })
    .join(" | ");
}
