import { writeAudit } from "@/db/queries/audit";
import { listImportRuns } from "@/db/queries/import-runs";
import { requireProject } from "@/db/queries/projects";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { importRunView, receiveUpload } from "@/lib/dataset-files/app-imports";
import { env } from "@/lib/env";
import { AppError, badRequest } from "@/lib/errors";
import { importsParamsSchema, UPLOAD_CONTENT_TYPES, uploadQuerySchema } from "./schema";

/** The project's imports, newest first. */
export const GET = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: importsParamsSchema,
  handler: async ({ params }) => {
    await requireProject({ id: params.id });
    return { imports: (await listImportRuns({ projectId: params.id })).map(importRunView) };
  },
});

/**
 * Uploads a preference file (the body is the file's bytes) and validates it
 * whole: the answer holds every bad line, a preview of the first records as
 * they will be stored and any warnings. Nothing is imported until the
 * admin starts it (POST …/imports/<id>).
 */
export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: importsParamsSchema,
  query: uploadQuerySchema,
  handler: async ({ user, params, query, req }) => {
    const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!(UPLOAD_CONTENT_TYPES as readonly string[]).includes(type)) throw badRequest(`body: send the file's bytes as ${UPLOAD_CONTENT_TYPES.join(" or ")}`);
    const max = env().IMPORT_MAX_UPLOAD_BYTES;
    if (Number(req.headers.get("content-length") ?? "0") > max) throw new AppError("payload_too_large", `file: larger than ${max} bytes, the upload limit (IMPORT_MAX_UPLOAD_BYTES)`);
    const project = await requireProject({ id: params.id });
    if (!req.body) throw badRequest("file: the body is empty");
    const run = await receiveUpload({ body: req.body, project, format: query.format, fileName: query.name, createdBy: user.id });
    await writeAudit({ actorId: user.id, action: "import.upload", targetType: "project", targetId: project.id, details: { importId: run.id, format: run.format, file: run.fileName, records: run.records, invalid: run.invalid } });
    return { import: importRunView(run) };
  },
});
