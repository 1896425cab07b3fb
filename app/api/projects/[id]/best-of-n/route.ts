import { writeAudit } from "@/db/queries/audit";
import { enqueueJob } from "@/db/queries/jobs";
import { requireProject } from "@/db/queries/projects";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { bestOfNJob, bestOfNOptionsSchema } from "@/lib/jobs/kinds/best-of-n";
import { projectIdParamsSchema } from "../../schema";

/** Queues a best-of-N run: N samples from the project's model, ranked by its newest reward model. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  body: bestOfNOptionsSchema,
  handler: async ({ user, params, body }) => {
    await requireProject({ id: params.id });
    const job = await enqueueJob({ job: bestOfNJob, payload: { projectId: params.id, ...body }, projectId: params.id, createdBy: user.id, progressTotal: 2 });
    await writeAudit({ actorId: user.id, action: "best-of-n.start", targetType: "job", targetId: job.id, details: { n: body.n } });
    return { job };
  },
});
