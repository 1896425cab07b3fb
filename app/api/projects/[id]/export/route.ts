import { writeAudit } from "@/db/queries/audit";
import { iterateExportGroups } from "@/db/queries/export-data";
import { projectRubric, requireProject } from "@/db/queries/projects";
import { getReliabilityScores } from "@/db/queries/reliability";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { formatById } from "@/lib/datasets/registry";
import { exportFileName, exportOptionsSchema, needsReliability, toExportOptions } from "@/lib/datasets/request";
import { exportSalt } from "@/lib/datasets/salt";
import { env } from "@/lib/env";
import { exportChunks, exportOrder, toByteStream } from "@/lib/datasets/export";
import { projectIdParamsSchema } from "../../schema";

/** Streams a project's rankings as a preference dataset file; every download is audited. */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  query: exportOptionsSchema,
  handler: async ({ user, params, query }) => {
    const project = await requireProject({ id: params.id });
    const reliability = needsReliability(query) ? await getReliabilityScores({ projectId: project.id }) : undefined;
    const options = toExportOptions(query, exportSalt(project.id, env().NEXTAUTH_SECRET), { aspects: projectRubric(project).aspects.map((a) => a.id), reliability });
    const chunks = exportChunks(iterateExportGroups({ projectId: project.id, order: exportOrder(query), reviewStatuses: query.reviewStatus }), query, options);
    // Pull the first chunk before answering, so option errors (e.g. ties in a
    // format that cannot hold them) become a 400 instead of a broken download.
    const first = await chunks.next();
    async function* rest() {
      if (!first.done) yield first.value;
      yield* chunks;
    }
    await writeAudit({ actorId: user.id, action: "export.download", targetType: "project", targetId: project.id, details: { ...query } });
    const name = exportFileName(project.name, query);
    return new Response(toByteStream(rest()), {
      headers: {
        "Content-Type": formatById(query.format).contentType,
        "Content-Disposition": `attachment; filename="${name}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
