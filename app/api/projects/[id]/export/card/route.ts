import { iterateExportGroups } from "@/db/queries/export-data";
import { projectRubric, requireProject } from "@/db/queries/projects";
import { getReliabilityScores } from "@/db/queries/reliability";
import { countReviewStatuses } from "@/db/queries/reviews";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { exportOptionsSchema, needsReliability, toExportOptions } from "@/lib/datasets/request";
import { exportSalt } from "@/lib/datasets/salt";
import { env } from "@/lib/env";
import { exportDatasetCard } from "@/lib/datasets/export";
import { projectIdParamsSchema } from "../../../schema";

/** The dataset card (README.md) for an export with the same options. */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  query: exportOptionsSchema,
  handler: async ({ params, query }) => {
    const project = await requireProject({ id: params.id });
    const reliability = needsReliability(query) ? await getReliabilityScores({ projectId: project.id }) : undefined;
    const options = toExportOptions(query, exportSalt(project.id, env().NEXTAUTH_SECRET), { aspects: projectRubric(project).aspects.map((a) => a.id), reliability });
    const groups = iterateExportGroups({ projectId: project.id, reviewStatuses: query.reviewStatus });
    const card = await exportDatasetCard(groups, query, options, project.name, await countReviewStatuses({ projectId: project.id }));
    return new Response(card, {
      headers: { "Content-Type": "text/markdown; charset=utf-8", "Content-Disposition": 'attachment; filename="README.md"', "Cache-Control": "no-store" },
    });
  },
});
