/**
 * Imports from the app's import page: an upload is saved, validated whole
 * (every bad line, a preview, warnings) and kept as an "uploaded" run until
 * an admin starts it; small files are then imported in the request, large
 * ones by the import-preferences job, which reports progress and can be
 * cancelled.
 */
import { beginImportRun, createImportRun, deleteUploadedRun, getImportRun, listStaleUploads, updateImportRun, type ImportRunRow } from "@/db/queries/import-runs";
import { enqueueJob, requestJobCancel, type JobRow } from "@/db/queries/jobs";
import type { ImportRunView } from "@/lib/datasets/import-types";
import { env } from "@/lib/env";
import { AppError, badRequest } from "@/lib/errors";
import { importPreferencesJob } from "@/lib/jobs/kinds/import-preferences";
import { abandonImport, executeImportRun } from "./import-run";
import type { ImportFormatChoice } from "./read";
import { scanImportFile } from "./scan";
import { removeUpload, saveUpload } from "./uploads";

/** Files up to this size are imported in the request itself; larger ones by a job, with progress and cancel. */
export const INLINE_IMPORT_BYTES = 2 * 1024 * 1024;
/** An upload nobody started is deleted after a day. */
const UPLOAD_TTL_MS = 24 * 3600_000;

export function importRunView(run: ImportRunRow): ImportRunView {
  return {
    id: run.id, format: run.format, fileName: run.fileName, status: run.status, skipInvalid: run.skipInvalid, bytes: run.bytes, lines: run.lines,
    records: run.records, invalid: run.invalid, report: run.report, stored: run.stored, error: run.error, jobId: run.jobId,
    createdAt: run.createdAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** Saves an uploaded body, validates it and records it as an "uploaded" run; nothing is imported yet. */
export async function receiveUpload(input: {
  body: ReadableStream<Uint8Array>;
  project: { id: string; modelId: string };
  format: ImportFormatChoice | "auto";
  fileName: string;
  createdBy: string;
}): Promise<ImportRunRow> {
  await forgetStaleUploads();
  const { file, bytes } = await saveUpload(input.body, env().IMPORT_MAX_UPLOAD_BYTES);
  try {
    const scan = await scanImportFile({ file, format: input.format, maxBytes: env().IMPORT_MAX_BYTES, modelId: input.project.modelId });
    if (scan.records === 0 && scan.invalid === 0) throw badRequest("file: holds no records");
    return await createImportRun({
      projectId: input.project.id, format: scan.format.id, fileName: input.fileName, uploadPath: file, status: "uploaded", bytes,
      lines: scan.lines, records: scan.records, invalid: scan.invalid, report: scan.report, createdBy: input.createdBy,
    });
  } catch (err) {
    removeUpload(file);
    throw err;
  }
}

/**
 * Starts an uploaded run. A file with bad lines needs skipInvalid (the admin
 * has seen them). Returns the finished run for a small file, or the queued job.
 */
export async function startUploadedImport(run: ImportRunRow, { skipInvalid, createdBy }: { skipInvalid: boolean; createdBy: string }): Promise<{ run: ImportRunRow; job?: JobRow }> {
  if (run.status !== "uploaded" || !run.uploadPath) throw new AppError("conflict", `This import is already ${run.status}`);
  if (run.invalid > 0 && !skipInvalid) {
    throw badRequest(`The file has ${run.invalid} bad line(s) (${run.report?.badLines}); import with skipInvalid to leave them out`, { errors: run.report?.errors ?? [] });
  }
  if (run.bytes <= INLINE_IMPORT_BYTES) {
    try {
      await executeImportRun({ runId: run.id, file: run.uploadPath, maxBytes: env().IMPORT_MAX_BYTES, skipInvalid });
    } catch (err) {
      await abandonImport({ runId: run.id, status: "failed", error: (err as Error).message });
      throw err;
    }
    removeUpload(run.uploadPath);
    return { run: (await getImportRun({ id: run.id }))! };
  }
  const begun = await beginImportRun({ id: run.id, skipInvalid });
  const job = await enqueueJob({ job: importPreferencesJob, payload: { runId: run.id }, projectId: run.projectId, createdBy, progressTotal: run.lines });
  try {
    await updateImportRun({ id: run.id, jobId: job.id });
  } catch (err) {
    await requestJobCancel({ id: job.id });
    throw err;
  }
  return { run: { ...begun, jobId: job.id }, job };
}

/** Discards an upload that was never started. */
export async function discardUpload({ id }: { id: string }): Promise<ImportRunRow | undefined> {
  const run = await deleteUploadedRun({ id });
  removeUpload(run?.uploadPath);
  return run;
}

async function forgetStaleUploads(): Promise<void> {
  for (const run of await listStaleUploads({ olderThanMs: UPLOAD_TTL_MS })) await discardUpload({ id: run.id });
}
