import { getJob } from "@/db/queries/jobs";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { jobParamsSchema } from "../schema";

export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: jobParamsSchema,
  handler: async ({ params }) => {
    const job = await getJob({ id: params.id });
    if (!job) throw notFound("Job");
    return { job };
  },
});
