import { writeAudit } from "@/db/queries/audit";
import { getImportRun } from "@/db/queries/import-runs";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { discardUpload, importRunView, startUploadedImport } from "@/lib/dataset-files/app-imports";
import { conflict, notFound } from "@/lib/errors";
import { importParamsSchema, startImportSchema } from "../schema";

async function runOf(params: { id: string; importId: string }) {
  const run = await getImportRun({ id: params.importId });
  if (!run || run.projectId !== params.id) throw notFound("Import");
  return run;
}

/** Starts an uploaded import: in the request for a small file, as a job (with progress and cancel) for a large one. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: importParamsSchema,
  body: startImportSchema,
  handler: async ({ user, params, body }) => {
    const { run, job } = await startUploadedImport(await runOf(params), { skipInvalid: body.skipInvalid, createdBy: user.id });
    await writeAudit({ actorId: user.id, action: "import.start", targetType: "project", targetId: params.id, details: { importId: run.id, skipInvalid: body.skipInvalid, jobId: job?.id ?? null } });
    return { import: importRunView(run), job: job ?? null };
  },
});

/** Discards an upload that was never started. */
export const DELETE = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: importParamsSchema,
  handler: async ({ user, params }) => {
    const run = await runOf(params);
    if (run.status !== "uploaded" || !(await discardUpload({ id: run.id }))) throw conflict(`This import is ${run.status}; only an upload that was not started can be discarded`);
    await writeAudit({ actorId: user.id, action: "import.discard", targetType: "project", targetId: params.id, details: { importId: run.id } });
    return { ok: true };
  },
});
