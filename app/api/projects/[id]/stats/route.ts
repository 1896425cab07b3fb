import { getProjectStats } from "@/db/queries/project-stats";
import { listJobs } from "@/db/queries/jobs";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { projectIdParamsSchema } from "../../schema";

export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  handler: async ({ params }) => {
    const stats = await getProjectStats({ projectId: params.id });
    if (!stats) throw notFound("Project");
    return { stats, jobs: await listJobs({ projectId: params.id, limit: 5 }) };
  },
});
