import { writeAudit } from "@/db/queries/audit";
import { createProject, listProjects } from "@/db/queries/projects";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { badRequest } from "@/lib/errors";
import { validatePresets } from "@/lib/generation/presets";
import { createProjectSchema } from "./schema";

export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  handler: async () => ({ projects: await listProjects() }),
});

export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  body: createProjectSchema,
  handler: async ({ user, body }) => {
    try {
      validatePresets(body.decodingPresets);
    } catch (err) {
      throw badRequest(`body.${(err as Error).message}`);
    }
    const project = await createProject({ ...body, completionSource: body.completionSource ?? null, createdBy: user.id, status: "active" });
    await writeAudit({ actorId: user.id, action: "project.create", targetType: "project", targetId: project.id, details: { name: body.name } });
    return { project };
  },
});
