/**
 * What one export/import format is. Each file in formats/ exports one of
 * these: the descriptor every entry point reads (API `format=` and its zod
 * schema, CLI `--format` and help, the export form, download file names, the
 * dataset card), its writer and, when files of the format can be imported,
 * its record reader: one JSON line's value → a record, or what is wrong with
 * it. Reading a record and writing it back gives the same record (the same
 * strings, the same fields); the round-trip tests hold every format to it.
 * registry.ts lists them.
 */
import type { LineResult } from "@/lib/datasets/formats/lines";
import type { AnyIterable, PairText, PreferencePair, RawRankingRow } from "@/lib/datasets/types";

/** A piece of an export file: text (JSONL, CSV) or bytes (Parquet). */
export type FileChunk = string | Uint8Array;

type Descriptor<Id extends string> = {
  /** The format's one name, kebab-case: in URLs, flags, the form, file names and the card. */
  id: Id;
  /** Earlier names that still work in CLI flags and API URLs (scripts may hold them); never listed as choices. */
  aliases?: readonly string[];
  /** Human name for the form and help. */
  label: string;
  /** File extension without the dot, for download names and the card's data_files paths. */
  extension: string;
  /** Content-Type of a download. */
  contentType: string;
  /** What a row holds, one sentence without the final period, for the dataset card's "Dataset structure". */
  card: string;
  /**
   * Whether a row can carry a reliability `weight` (a column or a field). The
   * other formats have nowhere to put one (TRL's preference rows hold no
   * weights) and can only drop unreliable annotators (minReliability).
   */
  holdsWeights?: boolean;
};

/** A format of preference pairs, written from exportPairs. */
export type PairFormat<Id extends string = string> = Descriptor<Id> & {
  rows: "pairs";
  /** Whether a kept tie can be written (tie: true); the other pair formats refuse ties. */
  holdsTies: boolean;
  /**
   * `margin` and `weight` say whether margins and reliability weights were
   * requested (a column must then be written even where a pair lacks one);
   * `aspects` are the project's rubric aspects, which columnar formats give a column per side each.
   */
  write: (pairs: AnyIterable<PreferencePair>, options: { margin: boolean; weight?: boolean; aspects?: readonly string[] }) => AsyncIterable<FileChunk>;
  readRecord?: (value: unknown) => LineResult<PairText>;
};

/** A format of whole rankings (no pairing), written from exportRankings with the texts. */
export type RankingFormat<Id extends string = string> = Descriptor<Id> & {
  rows: "rankings";
  write: (rows: AnyIterable<RawRankingRow>) => AsyncIterable<FileChunk>;
  readRecord?: (value: unknown) => LineResult<RawRankingRow>;
};

export type DatasetFormat<Id extends string = string> = PairFormat<Id> | RankingFormat<Id>;

/** A format whose files can be imported: its record reader is there. */
export type ImportableFormat<Id extends string = string> =
  | (PairFormat<Id> & Required<Pick<PairFormat, "readRecord">>)
  | (RankingFormat<Id> & Required<Pick<RankingFormat, "readRecord">>);
