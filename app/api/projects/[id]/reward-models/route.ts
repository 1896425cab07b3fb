import { writeAudit } from "@/db/queries/audit";
import { enqueueJob, findOpenJob } from "@/db/queries/jobs";
import { requireProject } from "@/db/queries/projects";
import { listRewardModels } from "@/db/queries/reward-models";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { conflict } from "@/lib/errors";
import { trainRewardJob, trainRewardOptionsSchema } from "@/lib/jobs/kinds/train-reward";
import { projectIdParamsSchema } from "../../schema";

/** A project's reward model versions with their metrics (weights are downloaded separately). */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  handler: async ({ params }) => {
    await requireProject({ id: params.id });
    return { rewardModels: await listRewardModels({ projectId: params.id }) };
  },
});

/** Queues one job that caches features (where missing) and then trains a new version. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  body: trainRewardOptionsSchema,
  handler: async ({ user, params, body }) => {
    const project = await requireProject({ id: params.id });
    if (await findOpenJob({ projectId: project.id, job: trainRewardJob })) throw conflict("A reward model is already training for this project");
    const job = await enqueueJob({ job: trainRewardJob, payload: { projectId: project.id, options: body }, projectId: project.id, createdBy: user.id });
    await writeAudit({ actorId: user.id, action: "reward-model.train", targetType: "project", targetId: project.id, details: { jobId: job.id, ...body } });
    return { job };
  },
});
