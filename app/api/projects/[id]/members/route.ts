import { writeAudit } from "@/db/queries/audit";
import { addMembers, listMembers } from "@/db/queries/members";
import { requireProject } from "@/db/queries/projects";
import { readQualification } from "@/db/queries/qualification";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { projectIdParamsSchema } from "../../schema";
import { addMembersSchema } from "./schema";

/** The project's members, with each one's regular rankings and, while the project has a qualification batch, where their attempt stands. */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  handler: async ({ params }) => {
    const project = await requireProject({ id: params.id });
    const members = await listMembers({ projectId: project.id });
    const withQualification = await Promise.all(
      members.map(async (m) => ({ ...m, qualification: project.qualificationSize > 0 ? await readQualification({ project, member: m }) : null })),
    );
    return { members: withQualification };
  },
});

/** Adds users as members (those already members keep their settings). */
export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: projectIdParamsSchema,
  body: addMembersSchema,
  handler: async ({ user, params, body }) => {
    await requireProject({ id: params.id });
    const result = await addMembers({ projectId: params.id, addedBy: user.id, ...body });
    await writeAudit({ actorId: user.id, action: "project.members.add", targetType: "project", targetId: params.id, details: { ...body, added: result.added.length } });
    return result;
  },
});
