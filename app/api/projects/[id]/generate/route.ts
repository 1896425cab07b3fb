import { writeAudit } from "@/db/queries/audit";
import { countGenerationWork } from "@/db/queries/version-slots";
import { enqueueJob, findOpenJob } from "@/db/queries/jobs";
import { requireProject } from "@/db/queries/projects";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { generationSettingsKey } from "@/lib/generation/settings-key";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { projectIdParamsSchema } from "../../schema";

/** Queues a generation job that fills every prompt's completion slots, leaving out skipped prompts (or returns the one already open). */
export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: projectIdParamsSchema,
  handler: async ({ user, params }) => {
    const project = await requireProject({ id: params.id });
    const open = await findOpenJob({ projectId: params.id, job: generateJob });
    if (open) return { job: open, alreadyRunning: true };
    const remaining = await countGenerationWork({ projectId: params.id, settingsKey: generationSettingsKey(project) });
    const job = await enqueueJob({ job: generateJob, payload: { projectId: params.id }, projectId: params.id, createdBy: user.id, progressTotal: remaining });
    await writeAudit({ actorId: user.id, action: "generation.start", targetType: "job", targetId: job.id, details: { projectId: params.id, prompts: remaining } });
    return { job, alreadyRunning: false };
  },
});
