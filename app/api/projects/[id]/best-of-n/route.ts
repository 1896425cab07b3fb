import { z } from "zod";
import { writeAudit } from "@/db/queries/audit";
import { enqueueJob } from "@/db/queries/jobs";
import { getProjectById } from "@/db/queries/projects";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { projectIdParamsSchema } from "../../schema";

const bestOfNBodySchema = z.object({
  prompt: z.string().trim().min(1).max(4000),
  n: z.number().int().min(2).max(32).default(8),
  temperature: z.number().min(0.1).max(2).default(1.0),
  maxNewTokens: z.number().int().min(1).max(512).default(64),
}).strict();

/** Queues a best-of-N run: N samples from the project's model, ranked by its newest reward model. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  body: bestOfNBodySchema,
  handler: async ({ user, params, body }) => {
    if (!(await getProjectById({ id: params.id }))) throw notFound("Project");
    const job = await enqueueJob({ kind: "best-of-n", projectId: params.id, payload: { projectId: params.id, ...body }, createdBy: user.id, progressTotal: 2 });
    await writeAudit({ actorId: user.id, action: "best-of-n.start", targetType: "job", targetId: job.id, details: { n: body.n } });
    return { job };
  },
});
