/**
 * What an import reads and reports: shared by the import's reader
 * (lib/datasets/import-records.ts), the query layer that stores records and
 * runs, the CLI, the import job and the import page.
 */
import type { PairText, RawRankingRow } from "@/lib/datasets/types";

/** One record of an import file: a pair (pair formats) or a whole ranking (raw rankings). */
export type ImportItem = { kind: "pair"; pair: PairText } | { kind: "ranking"; row: RawRankingRow };

/** A record and the 1-based line of the file it came from. */
export type ImportRecord = { line: number; item: ImportItem };

/** A line that cannot be imported, and why. */
export type LineProblem = { line: number; message: string };

/**
 * uploaded: validated, waiting for the admin to start it (app uploads only);
 * importing: batches are being stored; done: every batch stored, visible to
 * exports; failed / cancelled: its rows were swept away.
 */
export type ImportRunStatus = "uploaded" | "importing" | "done" | "failed" | "cancelled";

/** What validating a whole file found, before anything is written. */
export type ImportReport = {
  /** The first bad lines with their messages (all of them are in `badLines`). */
  errors: LineProblem[];
  /** Every bad line's number, as ranges: "3, 7–12, 15". Empty when there are none. */
  badLines: string;
  /** The first records as they will be stored. */
  preview: ImportRecord[];
  /** Things worth knowing that do not stop the import (prompts longer than the model's context). */
  warnings: string[];
};

/** What an import stored. */
export type ImportStored = {
  prompts: number;
  completions: number;
  rankings: number;
  /** Invalid lines skipped with skip-invalid. */
  skippedInvalid: number;
  /** Raw rankings by an annotator who already ranked that prompt (one ranking per annotator and prompt). */
  duplicates: number;
  /** The first of their line numbers. */
  duplicateLines: number[];
};

/** An import run as the import page sees it (no server paths). */
export type ImportRunView = {
  id: string;
  format: string;
  fileName: string;
  status: ImportRunStatus;
  skipInvalid: boolean;
  bytes: number;
  lines: number;
  records: number;
  invalid: number;
  report: ImportReport | null;
  stored: ImportStored | null;
  error: string | null;
  jobId: string | null;
  createdAt: string;
  finishedAt: string | null;
};
