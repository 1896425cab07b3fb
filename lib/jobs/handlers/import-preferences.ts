import "server-only";
import { getImportRun } from "@/db/queries/import-runs";
import { abandonImport, executeImportRun } from "@/lib/dataset-files/import-run";
import { removeUpload } from "@/lib/dataset-files/uploads";
import { env } from "@/lib/env";
import { defineJob, type JobContext } from "../define";
import { importPreferencesJob } from "../kinds/import-preferences";
import { JobCancelled } from "../runner";

/**
 * Stores an uploaded preference file, batch by batch, reporting lines read
 * against the lines validation counted. Restart-safe: a job taken over after
 * its worker died resumes after the run's last stored line. Cancelled or
 * failed, the run is swept (nothing half-written stays) and the upload
 * deleted; a job that lost its lease leaves both to the worker that took it.
 */
async function importPreferences({ runId }: { runId: string }, ctx: JobContext): Promise<Record<string, unknown>> {
  const run = await getImportRun({ id: runId });
  if (!run) throw new Error(`import ${runId} no longer exists`);
  // Finished before the worker could record it: nothing is left to do.
  if (run.status === "done") return { ...run.stored };
  if (!run.uploadPath) throw new Error(`import ${runId} has no uploaded file to read (it is ${run.status})`);
  const file = run.uploadPath;
  try {
    const stored = await executeImportRun({
      runId,
      file,
      maxBytes: env().IMPORT_MAX_BYTES,
      skipInvalid: run.skipInvalid,
      signal: ctx.signal,
      onProgress: (p) => ctx.progress({ done: p.lines, total: run.lines, result: { ...p.stored } }),
    });
    removeUpload(file);
    return { ...stored };
  } catch (err) {
    const reason = err instanceof JobCancelled ? err.reason : ctx.signal.aborted ? (ctx.signal.reason as JobCancelled | undefined)?.reason : undefined;
    if (reason !== "lease_lost") {
      await abandonImport({ runId, status: reason === "cancelled" ? "cancelled" : "failed", error: (err as Error).message });
      removeUpload(file);
    }
    throw err;
  }
}

export const importPreferencesDefinition = defineJob({ ...importPreferencesJob, handler: importPreferences });
