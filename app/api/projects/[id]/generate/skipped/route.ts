import { writeAudit } from "@/db/queries/audit";
import { requireProject } from "@/db/queries/projects";
import { clearSkippedPrompts, listSkippedPrompts } from "@/db/queries/prompts";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { generationSettingsKey } from "@/lib/generation/settings-key";
import { projectIdParamsSchema } from "../../../schema";

/** The prompts generation skipped under the project's current settings, with each reason (the first 50) and how many there are. */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  handler: async ({ params }) => {
    const project = await requireProject({ id: params.id });
    return listSkippedPrompts({ projectId: params.id, settingsKey: generationSettingsKey(project), limit: 50 });
  },
});

/** "Retry skipped prompts": clears the marks, so the next (or the running) generation job tries them again. */
export const DELETE = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: projectIdParamsSchema,
  handler: async ({ user, params }) => {
    await requireProject({ id: params.id });
    const cleared = await clearSkippedPrompts({ projectId: params.id });
    await writeAudit({ actorId: user.id, action: "generation.retry-skipped", targetType: "project", targetId: params.id, details: { cleared } });
    return { cleared };
  },
});
