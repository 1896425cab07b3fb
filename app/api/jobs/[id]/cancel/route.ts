import { writeAudit } from "@/db/queries/audit";
import { requestJobCancel } from "@/db/queries/jobs";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { jobParamsSchema } from "../../schema";

export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: jobParamsSchema,
  handler: async ({ user, params }) => {
    const job = await requestJobCancel({ id: params.id });
    if (!job) throw notFound("Job");
    await writeAudit({ actorId: user.id, action: "job.cancel", targetType: "job", targetId: params.id });
    return { job };
  },
});
