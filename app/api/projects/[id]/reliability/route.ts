import { requireProject } from "@/db/queries/projects";
import { getProjectReliability } from "@/db/queries/reliability";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { projectIdParamsSchema } from "../../schema";

/**
 * Each annotator's CrowdBT reliability (η and the strict preferences behind
 * it). Apart from /stats, which the admin page polls every few seconds: the
 * fit reads every ranking and runs EM, so it is fetched far less often.
 */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  handler: async ({ params }) => {
    await requireProject({ id: params.id });
    return { reliability: await getProjectReliability({ projectId: params.id }) };
  },
});
