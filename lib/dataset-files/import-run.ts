/**
 * The storing pass of an import, shared by `studio import`, the import job
 * and small imports from the upload page: the file is read again record by
 * record and stored in batches of BATCH_RECORDS, one transaction each, every
 * row tagged with the run. A run that fails or is cancelled is swept (its
 * rows deleted); a run whose process died resumes after its last stored line
 * (batches commit whole, so that line is exact), or is swept by the next
 * import into any project when nothing owns it any more.
 */
import { importCaches, storeImportBatch } from "@/db/queries/import-data";
import { beginImportRun, finishImportRun, getImportRun, listAbandonedImportRuns, updateImportRun, type ImportRunRow } from "@/db/queries/import-runs";
import { countImportedRows, lastImportedLine, sweepImportRun } from "@/db/queries/import-sweep";
import { lineError } from "@/lib/datasets/formats/lines";
import { readImportRecords } from "@/lib/datasets/import-records";
import type { ImportRecord, ImportStored } from "@/lib/datasets/import-types";
import { importFormatSchema } from "@/lib/datasets/registry";
import { conflict } from "@/lib/errors";
import { openImportLines, type ImportProgress } from "./read";
import { removeUpload } from "./uploads";

/** Records per transaction: large enough that a batch costs a handful of queries, small enough to hold the write lock briefly. */
export const BATCH_RECORDS = 500;

export type RunImportOptions = {
  runId: string;
  /** The file to read: the user's (CLI) or the upload's. */
  file: string;
  maxBytes: number;
  signal?: AbortSignal;
  /** Called after every stored batch (a job records its progress here; throwing stops the import). */
  onProgress?: (p: ImportProgress & { stored: ImportStored }) => void | Promise<void>;
  batchRecords?: number;
};

const nothingStored = (): ImportStored => ({ prompts: 0, completions: 0, rankings: 0, skippedInvalid: 0, duplicates: 0, duplicateLines: [] });

/** Reads the run's file from line `after` + 1 and stores its records; returns what the run stored in all. */
async function storeRecords(run: ImportRunRow, opts: RunImportOptions, after: number): Promise<ImportStored> {
  const format = importFormatSchema.parse(run.format);
  const stored = after > 0 && run.stored ? { ...run.stored } : nothingStored();
  const caches = importCaches();
  let batch: ImportRecord[] = [];
  let read: ImportProgress = { lines: 0, bytesRead: 0, size: 0 };
  const opened = await openImportLines({ ...opts, onProgress: (p) => void (read = p) });
  const flush = async () => {
    opts.signal?.throwIfAborted();
    const r = await storeImportBatch({ projectId: run.projectId, runId: run.id, records: batch, caches });
    batch = [];
    stored.prompts += r.prompts;
    stored.completions += r.completions;
    stored.rankings += r.rankings;
    stored.duplicates += r.duplicateLines.length;
    stored.duplicateLines = [...stored.duplicateLines, ...r.duplicateLines].slice(0, 100);
    await updateImportRun({ id: run.id, stored });
    await opts.onProgress?.({ ...read, lines: Math.max(read.lines, opened.count()), stored });
    // SQLite's driver is synchronous: without a turn of the event loop between batches, a job in
    // the web process would hold up every request (and its own cancel) until the file ends.
    await new Promise((resolve) => setImmediate(resolve));
  };
  for await (const r of readImportRecords(opened.lines, format)) {
    if (r.line <= after) continue;
    if (!r.ok) {
      // Validation listed every bad line before the import began; one here means the file changed since.
      if (!run.skipInvalid) throw lineError(r.line, r.message);
      stored.skippedInvalid++;
      continue;
    }
    batch.push({ line: r.line, item: r.item });
    if (batch.length >= (opts.batchRecords ?? BATCH_RECORDS)) await flush();
  }
  await flush();
  return stored;
}

/**
 * Runs an import run to the end: "importing", every record stored, "done".
 * On an error the run is left as it is for the caller to abandon (sweep) or,
 * when another worker took its job over, to leave alone.
 */
export async function executeImportRun(opts: RunImportOptions & { skipInvalid: boolean }): Promise<ImportStored> {
  await sweepAbandonedImports();
  const run = await beginImportRun({ id: opts.runId, skipInvalid: opts.skipInvalid });
  const after = await lastImportedLine({ runId: run.id });
  const stored = await storeRecords(run, opts, after);
  // Counted from the rows, so a resumed run reports everything it stored.
  const rows = await countImportedRows({ runId: run.id });
  const total = { ...stored, ...rows };
  await finishImportRun({ id: run.id, status: "done", stored: total });
  return total;
}

/** Undoes a run that stopped: its rows are swept, its upload deleted, and it is marked failed or cancelled with the reason. */
export async function abandonImport({ runId, status, error }: { runId: string; status: "failed" | "cancelled"; error?: string }): Promise<void> {
  const run = await getImportRun({ id: runId });
  await sweepImportRun({ runId });
  await finishImportRun({ id: runId, status, error });
  removeUpload(run?.uploadPath);
}

/** Sweeps runs left "importing" by processes that died; returns how many. */
export async function sweepAbandonedImports(): Promise<number> {
  const runs = await listAbandonedImportRuns();
  for (const run of runs) await abandonImport({ runId: run.id, status: "failed", error: "abandoned: the process importing it stopped" });
  return runs.length;
}

/** A run that may start: it exists, belongs to the project and is not started yet (or is resumed by its job). */
export async function importRunFor({ runId, projectId }: { runId: string; projectId: string }): Promise<ImportRunRow> {
  const run = await getImportRun({ id: runId });
  if (!run || run.projectId !== projectId) throw conflict("No such import in this project");
  return run;
}
