import { writeAudit } from "@/db/queries/audit";
import { updateProject, requireProject } from "@/db/queries/projects";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { badRequest, notFound } from "@/lib/errors";
import { validatePresets } from "@/lib/generation/presets";
import { projectIdParamsSchema, updateProjectSchema } from "../schema";

export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  handler: async ({ params }) => {
    const project = await requireProject({ id: params.id });
    return { project };
  },
});

export const PATCH = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: projectIdParamsSchema,
  body: updateProjectSchema,
  handler: async ({ user, params, body }) => {
    if (body.decodingPresets) {
      try {
        validatePresets(body.decodingPresets);
      } catch (err) {
        throw badRequest(`body.${(err as Error).message}`);
      }
    }
    const project = await updateProject({ id: params.id, ...body });
    if (!project) throw notFound("Project");
    await writeAudit({ actorId: user.id, action: "project.update", targetType: "project", targetId: params.id, details: body });
    return { project };
  },
});
