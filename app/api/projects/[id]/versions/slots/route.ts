import { writeAudit } from "@/db/queries/audit";
import { findOpenJob } from "@/db/queries/jobs";
import { requireProject } from "@/db/queries/projects";
import { setCompletionSlots } from "@/db/queries/version-slots";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { conflict } from "@/lib/errors";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { projectIdParamsSchema } from "../../../schema";
import { setSlotsSchema } from "../schema";

/**
 * Sets which model version and preset write each of the K completions (K
 * becomes the number of slots). Completions already written are kept; the
 * next generation round writes only what the new slots lack.
 */
export const PUT = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: projectIdParamsSchema,
  body: setSlotsSchema,
  handler: async ({ user, params, body }) => {
    await requireProject({ id: params.id });
    if (await findOpenJob({ projectId: params.id, job: generateJob })) throw conflict("Generation is running for this project; change the slots when it has finished (or cancel it)");
    await setCompletionSlots({ projectId: params.id, slots: body.slots });
    await writeAudit({ actorId: user.id, action: "generation.slots", targetType: "project", targetId: params.id, details: { slots: body.slots } });
    return { slots: body.slots };
  },
});
